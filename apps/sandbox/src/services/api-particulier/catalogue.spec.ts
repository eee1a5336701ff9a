import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, apiParticulierRoute, CALL_MODALITIES } from '@fcplat/domain';
import { APIS, findRoute, ROUTES } from './catalogue.js';

// The sandbox may not import the platform's catalogue; this test keeps the copy in step with it.
describe('API Particulier stand-in catalogue', () => {
  it.each(API_PARTICULIER_APIS.map((api) => [api]))('has the platform’s scopes for %s', (api) => {
    expect(APIS[api].scopes).toEqual(API_PARTICULIER_CATALOGUE[api].scopes.map((s) => s.scope));
  });

  it('serves every route the platform calls, with its modality and API', () => {
    for (const api of API_PARTICULIER_APIS) {
      for (const modality of CALL_MODALITIES) {
        const path = apiParticulierRoute(api, modality);
        if (path === null) continue;
        expect(findRoute(path)).toMatchObject({ modality, api: { id: api } });
      }
    }
  });

  it('serves the v3 and v4 CNOUS routes from the same folders, and nothing else', () => {
    expect(ROUTES).toHaveLength(13);
    for (const suffix of ['identite', 'france_connect', 'ine']) {
      expect(findRoute(`/v4/cnous/etudiant_boursier/${suffix}`)?.folder).toBe(findRoute(`/v3/cnous/etudiant_boursier/${suffix}`)?.folder);
    }
    expect(findRoute('/v3/dss/quotient_familial/ine')).toBeUndefined();
    expect(findRoute('/v3/dss/quotient_familial/identite/')).toBeUndefined();
  });
});
