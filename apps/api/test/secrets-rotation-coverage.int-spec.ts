import { CALL_INPUT_FIELD, CALL_RESULT_FIELD, CallLedger } from '@fcplat/api-particulier-calls';
import { generateKey, parseKeyring, SecretBox } from '@fcplat/crypto';
import {
  LogCapture,
  makeCitizen,
  makeCitizenSession,
  makeBrowserBinding,
  makePendingReconciliation,
  makeTenant,
  migratedTestDataSource,
  runBuiltCli,
  TEST_SECRETS_KEYS,
  testProcessEnv,
} from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { ENCRYPTED_COLUMNS, unregisteredCiphertextColumns } from '../src/cli/encrypted-columns.js';
import { ACCESS_TOKEN_FIELD, ID_TOKEN_FIELD } from '../src/portal/citizen-sessions.service.js';
import { RECONCILIATION_ID_TOKEN_FIELD } from '../src/portal/citizens.service.js';
import { goodPassword, portalCall } from './portal-http.js';
import { withScratchDataSource, withOtherApi } from './api-harness.js';

/**
 * SR-22 for every encrypted column, not only the credentials: the registry of `secrets:rotate`
 * is checked against the schema, and after a rotation without the old key every feature still
 * reads its data (API Particulier inputs and results, reconciliation, citizen sessions).
 */
describe('secrets:rotate covers every *_ciphertext column', () => {
  it('has every *_ciphertext column of the migrated schema in its registry (or excluded with a reason)', async () => {
    const ds = await migratedTestDataSource();
    try {
      expect(await unregisteredCiphertextColumns(ds)).toEqual([]);
      const registered = ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`);
      for (const column of ['api_particulier_call.input_ciphertext', 'api_particulier_call.result_ciphertext', 'citizen_reconciliation.id_token_ciphertext']) {
        expect(registered).toContain(column);
      }
    } finally {
      await ds.destroy();
    }
  });

  it('refuses to rotate while a new *_ciphertext column is in neither list', async () => {
    await withScratchDataSource('fcplat-test-rotation-coverage', async (ds, url) => {
      await ds.query(`ALTER TABLE tenant ADD COLUMN scratch_ciphertext text NULL`);
      expect(await unregisteredCiphertextColumns(ds)).toEqual(['tenant.scratch_ciphertext']);
      expect(await unregisteredCiphertextColumns(ds, ENCRYPTED_COLUMNS, [{ table: 'tenant', column: 'scratch_ciphertext', reason: 'test', maxLifeHours: 1 }])).toEqual([]);
      const run = await runBuiltCli(['secrets:rotate'], testProcessEnv({ DATABASE_URL: url }));
      expect(run.code).toBe(1);
      expect(run.output).toContain('Refused: tenant.scratch_ciphertext');
      expect(run.output).not.toMatch(/\d+ re-encrypted/);
    });
  }, 60_000);

  it('re-encrypts API Particulier calls, reconciliations and citizen sessions; the features read them with the new key only', async () => {
    await withScratchDataSource('fcplat-test-rotation-coverage', async (ds, url) => {
      const oldBox = new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1'));
      const tenant = await makeTenant(ds);
      const seal = (value: string, field: string): string => oldBox.encrypt(value, { tenantId: tenant.id, field });

      // API Particulier: a queued call (its input) and a finished one (its result), under the old key.
      const summary = { quotientFamilial: 1234, allocataires: ['DUPONT Jean'] };
      const [queued] = (await ds.query(
        `INSERT INTO api_particulier_call (tenant_id, recipient, environment, api, modality, origin, triggered_by, input_ciphertext)
         VALUES ($1, $2, 'sandbox', 'quotient_familial', 'pivot_identity', 'staff', 'test', $3) RETURNING id`,
        [tenant.id, tenant.siret, seal(JSON.stringify({ nomNaissance: 'DUPONT' }), CALL_INPUT_FIELD)],
      )) as { id: string }[];
      const [finished] = (await ds.query(
        `INSERT INTO api_particulier_call (tenant_id, recipient, environment, api, modality, origin, triggered_by, status, finished_at, result_ciphertext, result_expires_at)
         VALUES ($1, $2, 'sandbox', 'quotient_familial', 'pivot_identity', 'staff', 'test', 'succeeded', now(), $3, now() + interval '1 day') RETURNING id`,
        [tenant.id, tenant.siret, seal(JSON.stringify(summary), CALL_RESULT_FIELD)],
      )) as { id: string }[];

      // Portal: a FranceConnect identity waiting for confirmation (with its ID token), and a session holding FC tokens.
      const password = goodPassword();
      const citizen = await makeCitizen(ds, tenant.id, { passwordHash: await hashPassword(password) });
      const browser = makeBrowserBinding(tenant.slug);
      await makePendingReconciliation(ds, citizen, { bindingHash: browser.hash });
      await ds.query(`UPDATE citizen_reconciliation SET id_token_ciphertext = $1 WHERE citizen_id = $2`, [seal('reconciliation.id.token', RECONCILIATION_ID_TOKEN_FIELD), citizen.id]);
      const other = await makeCitizen(ds, tenant.id);
      await makeCitizenSession(ds, other, {
        franceConnect: { issuer: 'https://fc.example/api/v2', sub: 's'.repeat(64), authenticatedAt: new Date(), idTokenCiphertext: seal('session.id.token', ID_TOKEN_FIELD), accessToken: 'session-access-token' },
      });

      // Rotation with the built CLI, the new key active.
      const newKey = `k9:${generateKey()}`;
      const run = await runBuiltCli(['secrets:rotate'], testProcessEnv({ DATABASE_URL: url, SECRETS_KEYS: `${TEST_SECRETS_KEYS},${newKey}`, SECRETS_ACTIVE_KEY: 'k9' }));
      expect(run.output).toContain('api_particulier_call.input_ciphertext: 1 re-encrypted, 0 changed meanwhile, 0 failed, 0 remaining');
      expect(run.output).toContain('api_particulier_call.result_ciphertext: 1 re-encrypted, 0 changed meanwhile, 0 failed, 0 remaining');
      expect(run.output).toContain('citizen_reconciliation.id_token_ciphertext: 1 re-encrypted, 0 changed meanwhile, 0 failed, 0 remaining');
      expect(run.output).toContain('citizen_session.fc_id_token_ciphertext: 1 re-encrypted');
      expect(run.output).toContain('citizen_session.fc_access_token_ciphertext: 1 re-encrypted');
      expect(run.output).toContain('keys other than it can now be removed');
      expect(run.code).toBe(0);
      for (const secret of ['DUPONT', 'reconciliation.id.token', 'session-access-token']) expect(run.output).not.toContain(secret);

      // The old key removed: each feature reads its data.
      const newOnly = new SecretBox(parseKeyring(newKey, 'k9'));
      const ledger = new CallLedger(ds, newOnly, 30);
      expect(await ledger.result(tenant.id, finished?.id ?? '')).toEqual(summary);
      const claimed: { input_ciphertext: string }[] = await ds.query(`SELECT input_ciphertext FROM api_particulier_call WHERE id = $1`, [queued?.id]);
      expect(JSON.parse(newOnly.decrypt(claimed[0]?.input_ciphertext ?? '', { tenantId: tenant.id, field: CALL_INPUT_FIELD }))).toEqual({ nomNaissance: 'DUPONT' });
      const session: { i: string; a: string }[] = await ds.query(`SELECT fc_id_token_ciphertext AS i, fc_access_token_ciphertext AS a FROM citizen_session WHERE citizen_id = $1`, [other.id]);
      expect(newOnly.decrypt(session[0]?.i ?? '', { tenantId: tenant.id, field: ID_TOKEN_FIELD })).toBe('session.id.token');
      expect(newOnly.decrypt(session[0]?.a ?? '', { tenantId: tenant.id, field: ACCESS_TOKEN_FIELD })).toBe('session-access-token');

      // The reconciliation, through the portal started with the new key only: confirming it moves its ID token to the session.
      await withOtherApi({ DATABASE_URL: url, SECRETS_KEYS: newKey, SECRETS_ACTIVE_KEY: 'k9' }, { heartbeat: false, logDestination: new LogCapture() }, async (api, config) => {
        const login = await portalCall(api.url, 'POST', `/api/portal/${tenant.slug}/login`, { publicUrl: config.http.publicUrl, body: { email: citizen.email, password }, cookies: [browser.cookie] });
        expect(login.status).toBe(200);
        const confirm = await portalCall(api.url, 'POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { publicUrl: config.http.publicUrl, cookies: [login.session, browser.cookie] });
        expect(confirm.status).toBe(200);
        const moved: { i: string }[] = await ds.query(`SELECT fc_id_token_ciphertext AS i FROM citizen_session WHERE citizen_id = $1 AND fc_id_token_ciphertext IS NOT NULL`, [citizen.id]);
        expect(newOnly.decrypt(moved[0]?.i ?? '', { tenantId: tenant.id, field: ID_TOKEN_FIELD })).toBe('reconciliation.id.token');
      });
    });
  }, 120_000);
});
