import { CLAMART_SIRET, clamartUnit } from '../test/clamart.js';
import { MalformedUpstreamResponseError, parseSearchResponse } from './upstream.js';

const establishment = {
  siret: '21920023500014',
  est_siege: true,
  etat_administratif: 'A',
  adresse: '1 PLACE MAURICE GUNSBOURG 92140 CLAMART',
  code_postal: '92140',
  libelle_commune: 'CLAMART',
  commune: '92023',
  date_fermeture: null,
};

describe('parseSearchResponse', () => {
  it('reads the fields it needs and ignores the rest', () => {
    const page = parseSearchResponse({
      results: [
        {
          siren: '219200235',
          nom_complet: 'COMMUNE DE CLAMART',
          nom_raison_sociale: 'COMMUNE DE CLAMART',
          nature_juridique: '7210',
          etat_administratif: 'A',
          siege: establishment,
          matching_etablissements: [establishment],
          complements: { whatever: true },
          unexpected: { deeply: ['nested'] },
        },
      ],
      total_results: 1,
    });
    expect(page.totalResults).toBe(1);
    expect(page.skipped).toBe(0);
    expect(page.units[0]).toEqual({ ...clamartUnit(), matching: [expect.objectContaining({ siret: CLAMART_SIRET })] });
  });

  it('refuses a body without a results array', () => {
    for (const body of [null, 'html', [], { results: 'x' }, { erreur: 'Veuillez indiquer...' }]) {
      expect(() => parseSearchResponse(body)).toThrow(MalformedUpstreamResponseError);
    }
  });

  it('skips malformed units and establishments instead of trusting them', () => {
    const page = parseSearchResponse({
      results: [
        null,
        { siren: 12 },
        { siren: '2192002351' },
        {
          siren: '219200235',
          nature_juridique: 7210,
          etat_administratif: 'maybe',
          nom_raison_sociale: '  COMMUNE\u0000 DE\nCLAMART  ',
          siege: { siret: '99999999999999' },
          matching_etablissements: [{ siret: '2192002350001' }, 'x', { ...establishment, code_postal: '<script>', etat_administratif: 'Z' }],
        },
      ],
      total_results: -3,
    });
    expect(page.units).toHaveLength(1);
    expect(page.skipped).toBe(3 + 1 + 2);
    const [unit] = page.units;
    if (!unit) throw new Error('expected one unit');
    expect(unit.legalCategory).toBeUndefined();
    expect(unit.state).toBeUndefined();
    expect(unit.legalName).toBe('COMMUNE DE CLAMART');
    expect(unit.headOffice).toBeUndefined();
    expect(unit.matching).toEqual([expect.objectContaining({ siret: '21920023500014', postalCode: undefined, state: undefined })]);
    expect(page.totalResults).toBeUndefined();
  });

  it('caps absurdly long strings and never follows __proto__', () => {
    const payload = JSON.parse(
      `{"__proto__":{"results":[]},"results":[{"siren":"219200235","nom_complet":"${'A'.repeat(10_000)}","__proto__":{"nature_juridique":"7210"}}]}`,
    ) as unknown;
    const page = parseSearchResponse(payload);
    expect(page.units[0]?.fullName).toHaveLength(512);
    expect(page.units[0]?.legalCategory).toBeUndefined();
  });
});
