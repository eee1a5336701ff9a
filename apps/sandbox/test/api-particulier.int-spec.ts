/**
 * The API Particulier v3 stand-in inside the real sandbox (`startSandbox`: its FranceConnect is
 * the sandbox's own), over real HTTP on 127.0.0.1: every route and modality answering the staging
 * case files, the 404 fallbacks, authentication (API Particulier tokens, real FranceConnect access
 * tokens obtained through the code flow, staging's fake FranceConnect tokens), `recipient` and
 * parameter checks, the rate-limit headers, the journal and the token administration.
 * Limits, faults and admin protection: api-particulier-limits.int-spec.ts.
 */
import { decodeJwt, SignJWT } from 'jose';
import { startSandbox, type RunningSandbox } from '../src/sandbox.js';
import { ALL_API_PARTICULIER_SCOPES, mintSandboxApiParticulierToken, type JournalEntry } from '../src/services/api-particulier.js';
import {
  admin,
  call,
  errorOf,
  franceConnectAccessToken,
  RECIPIENT,
  registerFranceConnectClient,
  revokeFranceConnectToken,
  stagingCase,
  type ApiAnswer,
  type FranceConnectClient,
} from './api-particulier-helpers.js';

const QF = '/v3/dss/quotient_familial';
const MESRI = '/v3/mesri/statut_etudiant';
const CNOUS = '/v3/cnous/etudiant_boursier';
const CNOUS_V4 = '/v4/cnous/etudiant_boursier';
const C2S = '/v3/dss/complementaire_sante_solidaire';

const QF_CIVILITY = 'api_particulier_v3_cnav_quotient_familial_with_civility';
const QF_FC = 'api_particulier_v3_cnav_quotient_familial_with_france_connect';
const MESRI_CIVILITY = 'api_particulier_v3_mesri_statut_etudiant_with_civility';
const MESRI_FC = 'api_particulier_v3_mesri_statut_etudiant_with_france_connect';
const MESRI_INE = 'api_particulier_v3_mesri_statut_etudiant_with_ine';
const CNOUS_CIVILITY = 'api_particulier_v3_cnous_etudiant_boursier_with_civility';
const CNOUS_FC = 'api_particulier_v3_cnous_etudiant_boursier_with_france_connect';
const CNOUS_INE = 'api_particulier_v3_cnous_etudiant_boursier_with_ine';
const C2S_CIVILITY = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility';
const C2S_FC = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect';

/** LEFEBVRE ALEXIS, the QF case « Allocataire seul, QF CAF de 2550 ». */
const LEFEBVRE = {
  recipient: RECIPIENT,
  codeCogInseeCommuneNaissance: '08480',
  codeCogInseePaysNaissance: '99100',
  sexeEtatCivil: 'F',
  nomNaissance: 'LEFEBVRE',
  'prenoms[]': 'ALEXIS',
  anneeDateNaissance: '1982',
  moisDateNaissance: '12',
};

const QF_SCOPES = 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse';
const ALL_FC_SCOPES = `${QF_SCOPES} complementaire_sante_solidaire mesri_identite mesri_admissions cnous_statut_boursier cnous_identite`;

function without<T extends Record<string, unknown>>(object: T, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([name]) => !names.includes(name)));
}

function expectRateLimitHeaders(answer: ApiAnswer): void {
  expect(answer.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
  expect(answer.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
  expect(Number(answer.headers.get('ratelimit-reset'))).toBeGreaterThan(1_700_000_000);
}

describe('API Particulier v3 stand-in', () => {
  let sandbox: RunningSandbox;
  let base: string;
  let issuer: string;
  let token: string;
  let client: FranceConnectClient;

  beforeAll(async () => {
    // This file sends bursts with one token: the per-token ceiling is tested in its own file.
    sandbox = await startSandbox({ apiParticulier: { perTokenPerSecond: 10_000 } });
    base = sandbox.url('api-particulier');
    issuer = `${sandbox.url('franceconnect')}/api/v2`;
    token = (await mintSandboxApiParticulierToken({ subject: 'Commune de test' })).token;
    client = await registerFranceConnectClient(sandbox.url('franceconnect'));
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('answers /health and / like every sandbox service', async () => {
    expect(await call(base, '/health', {}, null)).toMatchObject({ status: 200, body: { status: 'ok', service: 'api-particulier' } });
    expect(await call(base, '/', {}, null)).toMatchObject({ status: 200, body: { service: 'api-particulier', imitates: 'https://particulier.api.gouv.fr/v3' } });
  });

  describe('pivot identity (/identite)', () => {
    it('answers LEFEBVRE ALEXIS with the staging QF of 2550, matching case and accents loosely', async () => {
      const expected = await stagingCase(QF_CIVILITY, '200-seul-sans_enfant-qf_caf_2550.yaml');
      const exact = await call(base, `${QF}/identite`, LEFEBVRE, token);
      expect(exact.status).toBe(200);
      expect(exact.body).toEqual(expected.payload);
      expect(exact.body).toMatchObject({ data: { quotient_familial: { fournisseur: 'CNAF', valeur: 2550 } } });
      expect(exact.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(exact.headers.get('x-response-cached')).toBe('false');
      // `prenoms=` instead of `prenoms[]=`, other case, accents, blanks, and a parameter no case uses.
      const loose = await call(base, `${QF}/identite`, { ...without(LEFEBVRE, 'prenoms[]', 'nomNaissance'), prenoms: ' alexis ', nomNaissance: 'Lefèbvre', nomUsage: 'MARTIN' } as Record<string, string>, token);
      expect(loose).toMatchObject({ status: 200, body: expected.payload });
    });

    it('prefers the case file with the most matching parameters', async () => {
      // With the day too, the « identité cas nominal, peu de prénoms » case (same person, full date) answers.
      const richer = await call(base, `${QF}/identite`, { ...LEFEBVRE, jourDateNaissance: '27' }, token);
      expect(richer).toMatchObject({ status: 200, body: (await stagingCase(QF_CIVILITY, '200-identite-cas-nominal-peu-de-donnee-prenom.yaml')).payload });
    });

    it.each([
      [QF, QF_CIVILITY, '200-couple-2_enfants-qf_msa_150_mai23.yaml'],
      [QF, QF_CIVILITY, '200-identite-cas-etranger.yaml'],
      [QF, QF_CIVILITY, '200-identite-cas-nominal-peu-de-donnee-naissance.yaml'],
      [QF, QF_CIVILITY, '404-identite-cas-limite-faute-de-frappe.yaml'],
      [MESRI, MESRI_CIVILITY, 'civility_etudiant_inscrit.yml'],
      [MESRI, MESRI_CIVILITY, 'civility_formation_continue_capeta_ana.yml'],
      [CNOUS, CNOUS_CIVILITY, 'civility.yml'],
      [CNOUS_V4, CNOUS_CIVILITY, 'civility.yml'],
      [C2S, C2S_CIVILITY, '200-bernanrd-julien-masculin.yaml'],
      [C2S, C2S_CIVILITY, '200-beneficiaire_sans_participation-masculin-pays_etranger.yaml'],
      [C2S, C2S_CIVILITY, 'beneficiaire_sans_participation_financiere_homme_200_2.yml'],
      [C2S, C2S_CIVILITY, '403.yaml'],
      [C2S, C2S_CIVILITY, '422.yaml'],
    ])('%s/identite answers %s/%s as written', async (route, folder, file) => {
      const expected = await stagingCase(folder, file);
      const answer = await call(base, `${route}/identite`, { recipient: RECIPIENT, ...expected.query }, token);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: expected.status, body: expected.payload });
    });

    it('takes the quotient familial’s annee and mois as criteria', async () => {
      const roux = await stagingCase(QF_CIVILITY, '200-couple-2_enfants-qf_msa_150_mai23.yaml');
      const withoutPeriod = await call(base, `${QF}/identite`, { recipient: RECIPIENT, ...without(roux.query, 'annee', 'mois') } as Record<string, string>, token);
      expect(withoutPeriod.status).toBe(404);
      expect(errorOf(withoutPeriod).code).toBe('37003');
    });

    it('serves the 429, 502 and 504 case files as written, with Retry-After on the 429', async () => {
      const tooMany = await stagingCase(QF_CIVILITY, '429.yaml');
      const answer429 = await call(base, `${QF}/identite`, { recipient: RECIPIENT, ...tooMany.query }, token);
      expect({ status: answer429.status, body: answer429.body }).toEqual({ status: 429, body: tooMany.payload });
      expect(answer429.headers.get('retry-after')).toBe('1');
      expectRateLimitHeaders(answer429);
      for (const [file, code] of [
        ['502.yaml', '37999'],
        ['504.yaml', '37002'],
      ] as const) {
        const expected = await stagingCase(QF_CIVILITY, file);
        const answer = await call(base, `${QF}/identite`, { recipient: RECIPIENT, ...expected.query }, token);
        expect({ status: answer.status, body: answer.body }).toEqual({ status: expected.status, body: expected.payload });
        expect(errorOf(answer)).toMatchObject({ code, meta: { provider: 'CNAV' } });
      }
    });

    it.each([
      [QF, QF_CIVILITY, { ...LEFEBVRE, nomNaissance: 'INCONNU' }],
      [C2S, C2S_CIVILITY, { ...LEFEBVRE, nomNaissance: 'INCONNU' }],
      [MESRI, MESRI_CIVILITY, { ...LEFEBVRE, nomNaissance: 'INCONNU', jourDateNaissance: '27' }],
      [CNOUS, CNOUS_CIVILITY, { ...LEFEBVRE, nomNaissance: 'INCONNU', jourDateNaissance: '27' }],
      [CNOUS_V4, CNOUS_CIVILITY, { ...LEFEBVRE, nomNaissance: 'INCONNU', jourDateNaissance: '27' }],
    ])('%s/identite falls back to %s/404.yaml for an unknown person', async (route, folder, query) => {
      const expected = await stagingCase(folder, '404.yaml');
      const answer = await call(base, `${route}/identite`, query, token);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: expected.payload });
    });
  });

  describe('INE (/ine)', () => {
    it.each([
      [MESRI, MESRI_INE, 'ine.yaml'],
      [MESRI, MESRI_INE, 'ine_1234567890B_expired.yaml'],
      [CNOUS, CNOUS_INE, 'ine.yml'],
      [CNOUS, CNOUS_INE, 'ine_1234567890C_level_6.yml'],
      [CNOUS_V4, CNOUS_INE, 'ine_1234567891D_level_7_toulouse_2025.yml'],
    ])('%s/ine answers %s/%s', async (route, folder, file) => {
      const expected = await stagingCase(folder, file);
      const answer = await call(base, `${route}/ine`, { recipient: RECIPIENT, ...expected.query }, token);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: expected.payload });
    });

    it.each([
      [MESRI, MESRI_INE, '25003'],
      [CNOUS, CNOUS_INE, '26003'],
      [CNOUS_V4, CNOUS_INE, '26003'],
    ])('%s/ine falls back to 404.yaml for an unknown INE', async (route, folder, code) => {
      const answer = await call(base, `${route}/ine`, { recipient: RECIPIENT, ine: '9999999999Z' }, token);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: (await stagingCase(folder, '404.yaml')).payload });
      expect(errorOf(answer).code).toBe(code);
    });

    it('refuses a missing or malformed INE with 422 00360', async () => {
      for (const query of [{ recipient: RECIPIENT }, { recipient: RECIPIENT, ine: '12345' }, { recipient: RECIPIENT, ine: '1234567890-A' }] as Record<string, string>[]) {
        const answer = await call(base, `${MESRI}/ine`, query, token);
        expect(answer.status).toBe(422);
        expect(errorOf(answer)).toMatchObject({ code: '00360', source: { parameter: 'ine' } });
      }
    });
  });

  describe('recipient and parameters', () => {
    it('requires recipient on every route: 422 00203', async () => {
      const identity = await call(base, `${QF}/identite`, without(LEFEBVRE, 'recipient') as Record<string, string>, token);
      const ine = await call(base, `${CNOUS_V4}/ine`, { ine: '1234567890A' }, token);
      const franceConnect = await call(base, `${QF}/france_connect`, {}, 'cnaf_qfv2');
      for (const answer of [identity, ine, franceConnect]) {
        expect(answer.status).toBe(422);
        expect(errorOf(answer)).toEqual({ code: '00203', title: 'Entité non traitable', detail: 'Le paramètre recipient est obligatoire', source: { parameter: 'recipient' }, meta: {} });
      }
    });

    it('refuses a recipient that is not a SIRET: 422 00204, and accepts La Poste’s establishments', async () => {
      for (const recipient of ['13002526500012', '130025265', 'SIRET13002526', '13002526500013 ']) {
        const answer = await call(base, `${QF}/identite`, { ...LEFEBVRE, recipient }, token);
        expect(answer.status).toBe(422);
        expect(errorOf(answer)).toMatchObject({ code: '00204', source: { parameter: 'recipient' } });
      }
      const twice = await call(base, `${QF}/identite`, { ...LEFEBVRE, recipient: [RECIPIENT, RECIPIENT] }, token);
      expect(errorOf(twice).code).toBe('00204');
      expect((await call(base, `${QF}/identite`, { ...LEFEBVRE, recipient: '35600000012346' }, token)).status).toBe(200);
    });

    it.each([
      ['nomNaissance', without(LEFEBVRE, 'nomNaissance')],
      ['prenoms[]', without(LEFEBVRE, 'prenoms[]')],
      ['prenoms[]', { ...LEFEBVRE, 'prenoms[]': ['A', 'B', 'C', 'D'] }],
      ['sexeEtatCivil', { ...LEFEBVRE, sexeEtatCivil: 'X' }],
      ['codeCogInseePaysNaissance', { ...LEFEBVRE, codeCogInseePaysNaissance: '9910' }],
      ['codeCogInseeCommuneNaissance', without(LEFEBVRE, 'codeCogInseeCommuneNaissance')],
      ['moisDateNaissance', { ...LEFEBVRE, moisDateNaissance: 'decembre' }],
      ['annee', { ...LEFEBVRE, annee: 'deux-mille' }],
    ])('refuses a bad %s on the QF with 422 00366 naming it', async (parameter, query) => {
      const answer = await call(base, `${QF}/identite`, query as Record<string, string | string[]>, token);
      expect(answer.status).toBe(422);
      const error = errorOf(answer);
      expect(error).toMatchObject({ code: '00366', title: 'Entité non traitable', source: { parameter } });
      expect(error.detail).toContain(parameter);
    });

    it('checks each route’s own required parameters', async () => {
      // MESRI and CNOUS need the full birth date; CNOUS does without sex; a birth place by name needs its department.
      expect(errorOf(await call(base, `${MESRI}/identite`, LEFEBVRE, token)).source).toEqual({ parameter: 'jourDateNaissance' });
      expect((await call(base, `${CNOUS}/identite`, { ...without(LEFEBVRE, 'sexeEtatCivil'), jourDateNaissance: '27' } as Record<string, string>, token)).status).toBe(404);
      const byName = { ...without(LEFEBVRE, 'codeCogInseeCommuneNaissance'), nomCommuneNaissance: 'Charleville-Mézières' } as Record<string, string>;
      expect(errorOf(await call(base, `${QF}/identite`, byName, token)).code).toBe('00366');
      expect((await call(base, `${QF}/identite`, { ...byName, codeCogInseeDepartementNaissance: '08' }, token)).status).toBe(404);
    });
  });

  describe('API Particulier tokens', () => {
    it('refuses a missing, malformed or foreign token with 401 00101', async () => {
      const foreign = await new SignJWT({ jti: 'x', sub: 'x', scopes: ALL_API_PARTICULIER_SCOPES })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('another-key-another-key-another-key-!'));
      const answers = [
        await call(base, `${QF}/identite`, LEFEBVRE, null),
        await call(base, `${QF}/identite`, LEFEBVRE, null, { authorization: `Token ${token}` }),
        await call(base, `${QF}/identite`, LEFEBVRE, 'not-a-jwt'),
        await call(base, `${QF}/identite`, LEFEBVRE, foreign),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(errorOf(answer)).toEqual({ code: '00101', title: 'Interdit', detail: 'Votre token n\'est pas valide ou n\'est pas renseigné', source: { parameter: 'token' }, meta: {} });
      }
    });

    it('refuses a token passed in the URL, even with a valid header', async () => {
      const answer = await call(base, `${QF}/identite`, { ...LEFEBVRE, token }, token);
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toMatchObject({ code: '00101', source: { parameter: 'token' } });
    });

    it('refuses an expired token with 401 00103 and a revoked one with 401 00105', async () => {
      const expired = await mintSandboxApiParticulierToken({ subject: 'Commune expirée', expiresInSeconds: -60 });
      const answer = await call(base, `${QF}/identite`, LEFEBVRE, expired.token);
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toMatchObject({ code: '00103', title: 'Jeton expiré' });

      const minted = await admin(base, '/admin/tokens', { subject: 'Commune révoquée' });
      const revocable = minted.body as { token: string; jti: string };
      expect((await call(base, `${QF}/identite`, LEFEBVRE, revocable.token)).status).toBe(200);
      expect(await admin(base, '/admin/tokens/revoke', { jti: revocable.jti })).toMatchObject({ status: 200, body: { jti: revocable.jti, revoked: true } });
      const revoked = await call(base, `${QF}/identite`, LEFEBVRE, revocable.token);
      expect(revoked.status).toBe(401);
      expect(errorOf(revoked)).toMatchObject({ code: '00105', title: 'Jeton sur liste noire' });
    });

    it('needs one scope of the route’s API: 403 00100 otherwise', async () => {
      const c2sOnly = (await mintSandboxApiParticulierToken({ subject: 'Commune C2S', scopes: ['complementaire_sante_solidaire'] })).token;
      const refused = await call(base, `${QF}/identite`, LEFEBVRE, c2sOnly);
      expect(refused.status).toBe(403);
      expect(errorOf(refused)).toMatchObject({ code: '00100', title: 'Privilèges insuffisants' });
      const qfOnly = (await mintSandboxApiParticulierToken({ subject: 'Commune QF', scopes: ['cnaf_adresse'] })).token;
      expect((await call(base, `${QF}/identite`, LEFEBVRE, qfOnly)).status).toBe(200);
      expect((await call(base, `${CNOUS_V4}/ine`, { recipient: RECIPIENT, ine: '1234567890A' }, qfOnly)).status).toBe(403);
    });

    it('mints tokens through the admin API: every scope and 18 months by default', async () => {
      const created = await admin(base, '/admin/tokens', { subject: 'Commune de Clamart' });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const { token: minted, jti, expiresAt } = created.body as { token: string; jti: string; expiresAt: string };
      const claims = decodeJwt(minted);
      expect(claims).toMatchObject({ jti, sub: 'Commune de Clamart', scopes: ALL_API_PARTICULIER_SCOPES });
      const issued = new Date((claims.iat ?? 0) * 1000);
      issued.setUTCMonth(issued.getUTCMonth() + 18);
      expect(new Date(expiresAt).getTime()).toBe(issued.getTime());
      expect((claims.exp ?? 0) * 1000).toBe(issued.getTime());

      const scoped = await admin(base, '/admin/tokens', { subject: 'Commune', scopes: ['cnous_identite'], expiresInSeconds: 3600 });
      expect(decodeJwt((scoped.body as { token: string }).token)).toMatchObject({ scopes: ['cnous_identite'] });
      const forever = await admin(base, '/admin/tokens', { subject: 'Commune', expiresInSeconds: null });
      expect(forever.body).toMatchObject({ expiresAt: null });
      expect(decodeJwt((forever.body as { token: string }).token).exp).toBeUndefined();
    });

    it('refuses bad token requests with 400 and changes nothing', async () => {
      for (const body of [{}, { subject: '' }, { subject: 'x', scopes: 'cnaf_adresse' }, { subject: 'x', scopes: ['Bad Scope'] }, { subject: 'x', expiresInSeconds: 1.5 }, { subject: 'x', other: 1 }]) {
        const answer = await admin(base, '/admin/tokens', body);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error: 'invalid_request' });
      }
      expect((await admin(base, '/admin/tokens/revoke', { jti: '' })).status).toBe(400);
      expect((await admin(base, '/admin/tokens', undefined, undefined, 'GET')).status).toBe(405);
      const notJson = await fetch(`${base}/admin/tokens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'subject=x' });
      expect(notJson.status).toBe(415);
    });
  });

  describe('FranceConnect modality (/france_connect)', () => {
    it('answers DUPONT Paul Louis (sans_nom_dusage) with the QF « 2 parents 3 mineurs »', async () => {
      const fcToken = await franceConnectAccessToken(issuer, client, 'sans_nom_dusage', QF_SCOPES);
      const answer = await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, fcToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual((await stagingCase(QF_FC, 'france_connect_200_cnaf_2_parents_3_mineurs.yml')).payload);
      expect(answer.body).toMatchObject({ data: { allocataires: [{ nom_naissance: 'DUPONT', prenoms: 'PAUL LOUIS' }, {}] } });
    });

    it.each([
      ['test', QF, QF_FC, 'france_connect_200_1_parent_0_enfant_cnaf.yml'],
      ['test', MESRI, MESRI_FC, 'france_connect_mesri.yml'],
      ['test', C2S, C2S_FC, 'france_connect_cnaf.yml'],
      ['apip_cnaf_qfv2', QF, QF_FC, 'fake_france_connect_cnaf.yml'],
      ['apip_cnaf_qfv2', C2S, C2S_FC, 'fake_france_connect_cnaf.yml'],
      ['apip_cnous', CNOUS, CNOUS_FC, 'fake_france_connect_cnous.yml'],
      ['apip_cnous', CNOUS_V4, CNOUS_FC, 'fake_france_connect_cnous.yml'],
      ['apip_mesri', MESRI, MESRI_FC, 'fake_france_connect_mesri_2.yml'],
      ['apip_all_fc', CNOUS_V4, CNOUS_FC, 'fake_france_connect_cnous_2.yml'],
      ['apip_all_fc', QF, QF_FC, 'fake_france_connect_cnaf_2.yml'],
    ])('answers the FranceConnect identity %s on %s with %s/%s', async (identity, route, folder, file) => {
      const fcToken = await franceConnectAccessToken(issuer, client, identity, ALL_FC_SCOPES);
      const answer = await call(base, `${route}/france_connect`, { recipient: RECIPIENT }, fcToken);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: (await stagingCase(folder, file)).payload });
    });

    it('falls back to the folder’s 404.yaml for an identity without a case file', async () => {
      const fcToken = await franceConnectAccessToken(issuer, client, 'moins_18_ans', ALL_FC_SCOPES);
      for (const [route, folder] of [
        [QF, QF_FC],
        [MESRI, MESRI_FC],
        [CNOUS_V4, CNOUS_FC],
        [C2S, C2S_FC],
      ] as const) {
        const answer = await call(base, `${route}/france_connect`, { recipient: RECIPIENT }, fcToken);
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: (await stagingCase(folder, '404.yaml')).payload });
      }
    });

    it('refuses a token without the API’s scopes with a 401', async () => {
      const fcToken = await franceConnectAccessToken(issuer, client, 'sans_nom_dusage', 'openid identite_pivot complementaire_sante_solidaire');
      const refused = await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, fcToken);
      expect(refused.status).toBe(401);
      expect(errorOf(refused)).toMatchObject({ code: '00100', source: { parameter: 'token' } });
      expect(errorOf(refused).detail).toContain('Quotient familial');
      expect((await call(base, `${C2S}/france_connect`, { recipient: RECIPIENT }, fcToken)).status).toBe(404);
    });

    it('refuses an unknown or revoked FranceConnect token with 401 00101', async () => {
      const unknown = await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, 'not-a-franceconnect-token');
      expect(unknown.status).toBe(401);
      expect(errorOf(unknown)).toMatchObject({ code: '00101', source: { parameter: 'token' } });
      expect(errorOf(unknown).detail).toContain('FranceConnect');

      const fcToken = await franceConnectAccessToken(issuer, client, 'sans_nom_dusage', QF_SCOPES);
      expect((await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, fcToken)).status).toBe(200);
      await revokeFranceConnectToken(issuer, client, fcToken);
      const revoked = await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, fcToken);
      expect(revoked.status).toBe(401);
      expect(errorOf(revoked).code).toBe('00101');
    });

    it('does not take an API Particulier token in place of a FranceConnect one', async () => {
      const answer = await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, token);
      expect(answer.status).toBe(401);
    });

    it('accepts staging’s fake FranceConnect tokens, with their scopes', async () => {
      expect(await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, 'cnaf_qfv2')).toMatchObject({
        status: 200,
        body: (await stagingCase(QF_FC, 'fake_france_connect_cnaf.yml')).payload,
      });
      expect((await call(base, `${CNOUS_V4}/france_connect`, { recipient: RECIPIENT }, 'cnous_with_less_scopes')).status).toBe(200);
      expect((await call(base, `${MESRI}/france_connect`, { recipient: RECIPIENT }, 'cnaf_qfv2')).status).toBe(401);
    });
  });

  describe('routes and headers', () => {
    it('answers an unknown route 404 and another method 405, in the API’s format', async () => {
      const unknown = await call(base, '/v3/dss/quotient_familial/ine', { recipient: RECIPIENT }, token);
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown).code).toBe('00404');
      const post = await fetch(`${base}${QF}/identite?recipient=${RECIPIENT}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET');
      expect(errorOf({ status: 405, headers: post.headers, body: await post.json() }).code).toBe('00405');
    });

    it('puts the per-IP RateLimit headers on every answer', async () => {
      const answers = [
        await call(base, `${QF}/identite`, LEFEBVRE, token),
        await call(base, `${QF}/identite`, LEFEBVRE, null),
        await call(base, `${QF}/identite`, without(LEFEBVRE, 'recipient') as Record<string, string>, token),
        await call(base, '/nowhere', {}, null),
        await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, 'cnaf_qfv2'),
      ];
      for (const answer of answers) {
        expectRateLimitHeaders(answer);
        expect(answer.headers.get('ratelimit-limit')).toBe('1000');
        expect(Number(answer.headers.get('ratelimit-reset')) % 60).toBe(0);
      }
      const remaining = answers.map((answer) => Number(answer.headers.get('ratelimit-remaining')));
      // Same minute window (unless the minute turned between two calls): one fewer each time.
      if (new Set(answers.map((answer) => answer.headers.get('ratelimit-reset'))).size === 1) {
        expect(remaining).toEqual(remaining.map((_, index) => (remaining[0] ?? 0) - index));
      }
    });
  });

  describe('journal', () => {
    it('records every data call without any token or identity', async () => {
      const since = Date.now();
      const fcToken = await franceConnectAccessToken(issuer, client, 'sans_nom_dusage', QF_SCOPES);
      const { token: journalToken, jti } = await mintSandboxApiParticulierToken({ subject: 'Commune du journal' });
      await call(base, `${QF}/identite`, LEFEBVRE, journalToken, { 'x-request-id': 'req-journal-1' });
      await call(base, `${QF}/identite`, { ...LEFEBVRE, recipient: 'pas un siret' }, journalToken);
      await call(base, `${QF}/france_connect`, { recipient: RECIPIENT }, fcToken, { 'x-request-id': 'req-journal-2' });
      await call(base, `${MESRI}/ine`, { recipient: RECIPIENT, ine: '1234567890A' }, null);

      const listed = await fetch(`${base}/admin/journal?since=${since}`);
      expect(listed.status).toBe(200);
      const text = await listed.text();
      const { entries } = JSON.parse(text) as { entries: JournalEntry[] };
      const mine = entries.filter((entry) => entry.requestId?.startsWith('req-journal') || entry.tokenId === jti || entry.route === `${MESRI}/ine`);
      const fcDigest = (await import('node:crypto')).createHash('sha256').update(fcToken).digest('hex').slice(0, 12);
      expect(mine).toEqual([
        { at: expect.any(Number), ip: '127.0.0.1', route: `${QF}/identite`, modality: 'pivot_identity', recipient: RECIPIENT, tokenId: jti, requestId: 'req-journal-1', status: 200, code: null, fault: null },
        { at: expect.any(Number), ip: '127.0.0.1', route: `${QF}/identite`, modality: 'pivot_identity', recipient: null, tokenId: jti, requestId: null, status: 422, code: '00204', fault: null },
        { at: expect.any(Number), ip: '127.0.0.1', route: `${QF}/france_connect`, modality: 'france_connect', recipient: RECIPIENT, tokenId: `fc:${fcDigest}`, requestId: 'req-journal-2', status: 200, code: null, fault: null },
        { at: expect.any(Number), ip: '127.0.0.1', route: `${MESRI}/ine`, modality: 'ine', recipient: RECIPIENT, tokenId: null, requestId: null, status: 401, code: '00101', fault: null },
      ]);
      for (const entry of mine) expect(entry.at).toBeGreaterThanOrEqual(since);
      // Neither tokens nor identity parameters, anywhere in the journal.
      for (const secret of [journalToken, fcToken, 'LEFEBVRE', 'ALEXIS', '1234567890A', 'DUPONT', 'nomNaissance', 'prenoms']) expect(text).not.toContain(secret);
      expect(sandbox.apiParticulier.journal.filter((entry) => entry.at >= since)).toEqual(entries);
    });

    it('filters by time, refuses a bad `since`, and clears', async () => {
      const future = Date.now() + 3_600_000;
      expect(await call(base, `/admin/journal`, { since: String(future) }, null)).toMatchObject({ status: 200, body: { entries: [] } });
      expect((await call(base, '/admin/journal', { since: 'yesterday' }, null)).status).toBe(400);
      expect((await admin(base, '/admin/journal', undefined, undefined, 'DELETE')).status).toBe(204);
      expect(sandbox.apiParticulier.journal).toHaveLength(0);
    });
  });
});
