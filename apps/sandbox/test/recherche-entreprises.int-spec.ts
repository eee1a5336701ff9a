/**
 * The recherche-entreprises stand-in over real HTTP on 127.0.0.1, as started by startSandbox():
 * the real API's answer format, its 400s, its 7 requests/second per-IP ceiling (429 + Retry-After).
 */
import { request } from '@fcplat/outbound-http';
import { startSandbox, type RunningSandbox } from '../src/sandbox.js';

describe('recherche-entreprises stand-in', () => {
  let sandbox: RunningSandbox;
  let base: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    base = sandbox.url('recherche-entreprises');
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  /** Leaves the per-IP window empty before a test that counts on it. */
  const quiet = (): Promise<void> => new Promise((r) => setTimeout(r, 1100));

  it('answers a SIRET search in the real API’s format', async () => {
    const response = await request({ url: `${base}/search?q=22630001000015` });
    expect(response.status).toBe(200);
    expect(response.header('content-type')).toBe('application/json; charset=utf-8');
    const body = response.json() as { results: Array<Record<string, unknown>>; total_results: number };
    expect(body).toMatchObject({ total_results: 1, page: 1, per_page: 10, total_pages: 1 });
    const unit = body.results[0] ?? {};
    expect(Object.keys(unit)).toEqual(
      expect.arrayContaining(['siren', 'nom_complet', 'nom_raison_sociale', 'nature_juridique', 'etat_administratif', 'siege', 'matching_etablissements', 'complements']),
    );
    expect(unit).toMatchObject({
      siren: '226300010',
      nom_complet: 'DEPARTEMENT DU PUY DE DOME',
      nature_juridique: '7220',
      siege: { siret: '22630001000015', etat_administratif: 'A', code_postal: '63000', libelle_commune: 'CLERMONT-FERRAND', adresse: '24 RUE SAINT-ESPRIT 63000 CLERMONT-FERRAND' },
      matching_etablissements: [{ siret: '22630001000015', est_siege: true }],
      complements: { collectivite_territoriale: { code: '63D', code_insee: '63', niveau: 'departement', elus: [] }, est_service_public: null },
    });
  });

  it('answers 400 with the real API’s message for bad parameters', async () => {
    await quiet();
    const tooMany = await request({ url: `${base}/search?q=mairie&per_page=50` });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toEqual({ erreur: 'Veuillez indiquer un paramètre `per_page` entre `1` et `25`, par défaut `10`.' });
    const nothing = await request({ url: `${base}/search` });
    expect(nothing.json()).toEqual({ erreur: 'Veuillez indiquer au moins un paramètre de recherche.' });
  });

  it('keeps its common routes and refuses other methods', async () => {
    await expect(request({ url: `${base}/health` }).then((r) => r.json())).resolves.toEqual({ status: 'ok', service: 'recherche-entreprises' });
    expect((await request({ url: `${base}/search?q=clamart`, method: 'POST' })).status).toBe(405);
    expect((await request({ url: `${base}/siret/21920023500014` })).status).toBe(404);
  });

  it('refuses the 8th request within a second with 429 and Retry-After, then serves again', async () => {
    await quiet();
    const responses = await Promise.all(Array.from({ length: 9 }, () => request({ url: `${base}/search?q=21920023500014` })));
    const statuses = responses.map((r) => r.status).sort((a, b) => a - b);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = responses.find((r) => r.status === 429);
    const retryAfter = refused?.header('retry-after');
    expect(retryAfter).toBe('1');
    expect(refused?.json()).toEqual({ erreur: expect.stringContaining('7 requêtes par seconde') });
    await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000 + 50));
    expect((await request({ url: `${base}/search?q=21920023500014` })).status).toBe(200);
  });
});
