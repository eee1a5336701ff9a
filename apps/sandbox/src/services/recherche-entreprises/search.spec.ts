import { search } from './search.js';

type Json = Record<string, unknown>;

function first(results: readonly Json[]): Json {
  const [item] = results;
  if (!item) throw new Error('expected at least one result');
  return item;
}

function run(query: Record<string, string>) {
  return search(new URLSearchParams(query));
}

function ok(query: Record<string, string>) {
  const outcome = run(query);
  if (outcome.status !== 200) throw new Error(`expected 200, got ${outcome.status}: ${JSON.stringify(outcome.body)}`);
  return outcome.body;
}

describe('recherche-entreprises stand-in: GET /search', () => {
  it('finds an establishment by SIRET and returns only that one in matching_etablissements', () => {
    const body = ok({ q: '21920023500022' });
    expect(body).toMatchObject({ total_results: 1, page: 1, per_page: 10, total_pages: 1 });
    const unit = first(body.results);
    expect(unit).toMatchObject({ siren: '219200235', nom_complet: 'COMMUNE DE CLAMART', nature_juridique: '7210', etat_administratif: 'A' });
    expect(unit.siege).toMatchObject({ siret: '21920023500014', est_siege: true, adresse: '1 PLACE MAURICE GUNSBOURG 92140 CLAMART' });
    expect(unit.matching_etablissements).toEqual([
      expect.objectContaining({ siret: '21920023500022', etat_administratif: 'F', est_siege: false, date_fermeture: '2002-06-20' }),
    ]);
    expect(unit.complements).toMatchObject({ est_service_public: null, collectivite_territoriale: { code: '92023', niveau: 'commune' } });
  });

  it('tolerates spaces in a SIRET, ignores filters on a direct search, and returns nothing for an unknown one', () => {
    expect(ok({ q: '130 025 265 00013', nature_juridique: '5710' }).total_results).toBe(1);
    expect(ok({ q: '21580304000017' })).toEqual({ results: [], total_results: 0, page: 1, per_page: 10, total_pages: 0 });
  });

  it('finds a unit by SIREN with an empty matching_etablissements', () => {
    const unit = first(ok({ q: '130025265' }).results);
    expect(unit).toMatchObject({ nom_complet: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE (DINUM)', sigle: 'DINUM', matching_etablissements: [] });
  });

  it('searches words in names and addresses, accents and case ignored', () => {
    const names = (q: Record<string, string>) => (ok(q).results as Array<{ nom_complet: string }>).map((r) => r.nom_complet);
    expect(names({ q: 'clamart' })).toEqual(['COMMUNE DE CLAMART']);
    expect(names({ q: 'Département Rhône' })).toEqual(['DEPARTEMENT DU RHONE']);
    expect(names({ q: 'colonie de vacances' })).toEqual(['COMMUNE DE CLAMART']);
    expect(names({ q: 'lycée jaurès' })).toEqual(['LYCEE POLYVALENT JEAN JAURES']);
  });

  it('applies filters and paginates', () => {
    const epci = ok({ nature_juridique: '7346,7348,7344', per_page: '2', page: '2' });
    expect(epci).toMatchObject({ total_results: 5, page: 2, per_page: 2, total_pages: 3 });
    expect(epci.results).toHaveLength(2);
    expect(ok({ est_collectivite_territoriale: 'true' }).total_results).toBe(12);
    expect(ok({ etat_administratif: 'C' }).results).toHaveLength(1);
    expect(ok({ q: 'paris', code_postal: '75002' }).results).toMatchObject([{ nom_complet: 'OCTO-TECHNOLOGY' }]);
  });

  it('drops secondary fields with minimal=true unless included', () => {
    const bare = first(ok({ q: '21920023500014', minimal: 'true' }).results);
    expect(bare).not.toHaveProperty('siege');
    expect(bare).not.toHaveProperty('complements');
    expect(bare).toHaveProperty('nature_juridique', '7210');
    const some = first(ok({ q: '21920023500014', minimal: 'true', include: 'siege,matching_etablissements' }).results);
    expect(some).toHaveProperty('siege');
    expect(some).toHaveProperty('matching_etablissements');
    expect(some).not.toHaveProperty('complements');
  });

  it.each([
    [{}, 'Veuillez indiquer au moins un paramètre de recherche.'],
    [{ q: 'ab' }, '3 caractères minimum pour les termes de la requête (ou utilisez au moins un filtre)'],
    [{ q: 'clamart', per_page: '26' }, 'Veuillez indiquer un paramètre `per_page` entre `1` et `25`, par défaut `10`.'],
    [{ q: 'clamart', per_page: 'dix' }, 'Veuillez indiquer un paramètre `per_page` entier.'],
    [{ q: 'clamart', page: '0' }, 'Veuillez indiquer un paramètre `page` entre `1` et `1000`, par défaut `1`.'],
    [{ q: 'clamart', page: '1000', per_page: '25' }, 'Le nombre total de résultats est restreint à 10 000.'],
    [{ q: 'clamart', include: 'siege' }, 'Veuillez indiquer si vous souhaitez une réponse minimale'],
    [{ q: 'clamart', minimal: 'oui' }, "minimal doit prendre la valeur 'true' ou 'false' !"],
    [{ q: 'clamart', etat_administratif: 'X' }, 'Le paramètre `etat_administratif` doit prendre une des valeurs suivantes'],
    [{ q: 'clamart', code_postal: '123' }, 'Au moins une valeur du paramètre code_postal est non valide.'],
  ])('answers 400 like the real API for %j', (query, message) => {
    const outcome = run(query as Record<string, string>);
    expect(outcome.status).toBe(400);
    expect((outcome.body as { erreur: string }).erreur).toContain(message);
  });
});
