import { loadCaseFolders, loadStagingFranceConnectTokens } from './case-files.js';
import { ROUTE_FOLDERS, STAGING_FRANCECONNECT_FOLDER } from './catalogue.js';
import { bestMatch } from './matching.js';

describe('staging case files', () => {
  const folders = loadCaseFolders(ROUTE_FOLDERS);

  it('load every folder the routes need, each with its 404.yaml', () => {
    expect([...folders.keys()].sort()).toEqual([...ROUTE_FOLDERS].sort());
    expect(ROUTE_FOLDERS).toHaveLength(10);
    for (const folder of folders.values()) {
      expect(folder.notFound.status).toBe(404);
      expect(folder.notFound.errorCode).toMatch(/^\d{5}$/);
      expect(folder.cases.length).toBeGreaterThan(1);
    }
  });

  it('keep payloads as JSON and the error code of error payloads', () => {
    const qf = folders.get('api_particulier_v3_cnav_quotient_familial_with_civility');
    const rich = qf?.cases.find((c) => c.name === '200-seul-sans_enfant-qf_caf_2550.yaml');
    expect(JSON.parse(rich?.body ?? '')).toMatchObject({ data: { quotient_familial: { valeur: 2550 } } });
    expect(rich?.errorCode).toBeNull();
    expect(qf?.cases.find((c) => c.name === '502.yaml')).toMatchObject({ status: 502, errorCode: '37999' });
  });

  it('make every case file reachable by its own params', () => {
    for (const folder of folders.values()) {
      for (const candidate of folder.cases) {
        expect([folder.name, candidate.name, bestMatch(folder.cases, candidate.criteria)?.name]).toEqual([folder.name, candidate.name, candidate.name]);
      }
    }
  });

  it('read the misspelt upstream keys as meant', () => {
    const cnous = folders.get('api_particulier_v3_cnous_etudiant_boursier_with_france_connect');
    expect(cnous?.cases.find((c) => c.name === 'fake_france_connect_cnous_2.yml')?.criteria.get('prenoms')).toEqual(['THOMAS']);
    const c2s = folders.get('api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility');
    expect(c2s?.cases.find((c) => c.name === 'beneficiaire_sans_participation_financiere_homme_200.yml')?.criteria.get('anneeDateNaissance')).toBe(1950);
  });

  it('load staging’s fake FranceConnect tokens with their introspection', () => {
    const tokens = loadStagingFranceConnectTokens(STAGING_FRANCECONNECT_FOLDER);
    expect([...tokens.keys()].sort()).toEqual(['all_fc', 'ants', 'cnaf_css', 'cnaf_eaje', 'cnaf_qfv2', 'cnous', 'cnous_with_less_scopes', 'mesri', 'service_civique']);
    expect(tokens.get('cnaf_qfv2')).toMatchObject({ active: true, family_name: 'CNAF', given_name: 'Georges' });
  });
});
