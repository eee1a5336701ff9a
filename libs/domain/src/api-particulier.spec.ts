import {
  API_PARTICULIER_APIS,
  API_PARTICULIER_CATALOGUE,
  CALL_MODALITIES,
  CALL_MODALITY_INFO,
  apiForScope,
  apiParticulierRoute,
  checkApiParticulierSelection,
  franceConnectScopesFor,
  isApiParticulierApi,
  supportsModality,
} from './api-particulier.js';

describe('catalogue', () => {
  it('covers the four APIs callable with FranceConnect', () => {
    expect(API_PARTICULIER_APIS).toEqual([
      'quotient_familial',
      'statut_etudiant',
      'statut_etudiant_boursier',
      'complementaire_sante_solidaire',
    ]);
    for (const api of API_PARTICULIER_APIS) {
      expect(supportsModality(api, 'pivot_identity')).toBe(true);
      expect(supportsModality(api, 'france_connect')).toBe(true);
    }
  });

  it('offers INE only for the student statuses', () => {
    expect(API_PARTICULIER_APIS.filter((api) => supportsModality(api, 'ine'))).toEqual([
      'statut_etudiant',
      'statut_etudiant_boursier',
    ]);
    expect(apiParticulierRoute('quotient_familial', 'ine')).toBeNull();
  });

  it('uses the OpenAPI route names, with the modality suffix', () => {
    expect(apiParticulierRoute('quotient_familial', 'france_connect')).toBe('/v3/dss/quotient_familial/france_connect');
    expect(apiParticulierRoute('quotient_familial', 'pivot_identity')).toBe('/v3/dss/quotient_familial/identite');
    expect(apiParticulierRoute('statut_etudiant', 'ine')).toBe('/v3/mesri/statut_etudiant/ine');
    expect(apiParticulierRoute('statut_etudiant_boursier', 'france_connect')).toBe(
      '/v4/cnous/etudiant_boursier/france_connect',
    );
    expect(apiParticulierRoute('complementaire_sante_solidaire', 'pivot_identity')).toBe(
      '/v3/dss/complementaire_sante_solidaire/identite',
    );
    for (const api of API_PARTICULIER_APIS) {
      const info = API_PARTICULIER_CATALOGUE[api];
      expect(Object.keys(info.routes).sort()).toEqual([...info.modalities].sort());
      for (const modality of info.modalities) {
        expect(info.routes[modality]).toMatch(new RegExp(`^/v[34]/[a-z_]+/[a-z_]+/${CALL_MODALITY_INFO[modality].routeSuffix}$`));
      }
    }
  });

  it('gives every modality a French label and maps DataPass modalities', () => {
    for (const modality of CALL_MODALITIES) expect(CALL_MODALITY_INFO[modality].label.length).toBeGreaterThan(0);
    expect(CALL_MODALITY_INFO.pivot_identity.dataPassModality).toBe('params');
    expect(CALL_MODALITY_INFO.france_connect.dataPassModality).toBe('france_connect');
  });

  it('has unique scopes, each belonging to one API', () => {
    const all = API_PARTICULIER_APIS.flatMap((api) => API_PARTICULIER_CATALOGUE[api].scopes.map((s) => s.scope));
    expect(new Set(all).size).toBe(all.length);
    expect(apiForScope('cnaf_quotient_familial')).toBe('quotient_familial');
    expect(apiForScope('cnous_echelon_bourse')).toBe('statut_etudiant_boursier');
    expect(apiForScope('mesri_admissions')).toBe('statut_etudiant');
    expect(apiForScope('complementaire_sante_solidaire')).toBe('complementaire_sante_solidaire');
    expect(apiForScope('pole_emploi_identite')).toBeNull();
  });

  it('narrows unknown values', () => {
    expect(isApiParticulierApi('statut_etudiant')).toBe(true);
    expect(isApiParticulierApi('statut_demandeur_emploi')).toBe(false);
  });
});

describe('checkApiParticulierSelection', () => {
  it('accepts a consistent selection', () => {
    expect(
      checkApiParticulierSelection([
        { api: 'quotient_familial', modalities: ['pivot_identity', 'france_connect'], scopes: ['cnaf_quotient_familial'] },
        { api: 'statut_etudiant', modalities: ['ine'], scopes: ['mesri_identite', 'mesri_admissions'] },
      ]),
    ).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const problems = checkApiParticulierSelection([
      { api: 'quotient_familial', modalities: ['ine'], scopes: ['cnous_email'] },
      { api: 'complementaire_sante_solidaire', modalities: [], scopes: [] },
      { api: 'quotient_familial', modalities: ['france_connect'], scopes: ['cnaf_enfants'] },
    ]);
    expect(problems.map((p) => p.path)).toEqual([
      '0.modalities',
      '0.scopes',
      '1.modalities',
      '1.scopes',
      '2.api',
    ]);
    expect(problems[0]?.message).toBe(
      'La modalité « Identifiant national étudiant (INE) » n’existe pas pour l’API « Quotient familial CAF & MSA ».',
    );
  });
});

describe('franceConnectScopesFor', () => {
  it('requests the pivot identity and the data scopes of the FranceConnect selections only', () => {
    expect(
      franceConnectScopesFor([
        { api: 'complementaire_sante_solidaire', modalities: ['france_connect'], scopes: ['complementaire_sante_solidaire'] },
        { api: 'statut_etudiant', modalities: ['ine'], scopes: ['mesri_identite'] },
        {
          api: 'quotient_familial',
          modalities: ['pivot_identity', 'france_connect'],
          scopes: ['cnaf_adresse', 'cnaf_quotient_familial'],
        },
      ]),
    ).toEqual(['openid', 'identite_pivot', 'cnaf_quotient_familial', 'cnaf_adresse', 'complementaire_sante_solidaire']);
  });

  it('is the pivot identity alone without FranceConnect selections', () => {
    expect(franceConnectScopesFor([])).toEqual(['openid', 'identite_pivot']);
  });
});
