import { generateKey, parseKeyring, SecretBox } from '@fcplat/crypto';
import { UserEntity } from '@fcplat/db';
import { openPlatformInfrastructure } from '@fcplat/queue';
import {
  callApi,
  fakeApiParticulierToken,
  fakeFranceConnectCredential,
  LogCapture,
  makeStaff,
  makeTenant,
  runBuiltCli,
  TEST_SECRETS_KEYS,
  testPlatformConfig,
  testProcessEnv,
} from '@fcplat/testing';
import type { DataSource } from 'typeorm';
import { TOTP_SECRET_FIELD } from '../src/accounts/login.service.js';
import { startApi } from '../src/app.js';
import { ENCRYPTED_COLUMNS, rotateSecrets } from '../src/cli/encrypted-columns.js';
import { withScratchDataSource, withOtherApi } from './api-harness.js';

interface SecretRow {
  table: string;
  id: string;
  ciphertext: string;
  tenantId: string;
  field: string;
}

/** Every ciphertext of the registry's columns with its context, read straight from the database. */
async function storedSecrets(ds: DataSource): Promise<SecretRow[]> {
  const rows: SecretRow[] = [];
  for (const spec of ENCRYPTED_COLUMNS) {
    const found: Record<string, string>[] = await ds.query(
      `SELECT id::text AS id, ${spec.column} AS ciphertext${spec.contextColumns.map((c) => `, ${c}::text AS ${c}`).join('')} FROM ${spec.table} WHERE ${spec.column} IS NOT NULL`,
    );
    for (const row of found) {
      const context = spec.context(row);
      rows.push({ table: spec.table, id: row.id as string, ciphertext: row.ciphertext as string, ...context });
    }
  }
  return rows;
}

describe('secrets:rotate (built CLI, scratch database)', () => {
  it('re-encrypts every secret under the new key; then the old key can be removed', async () => {
    await withScratchDataSource('fcplat-test-rotation', async (ds, url) => {
      const newKey = `k2:${generateKey()}`;
      const otherSecret = fakeFranceConnectCredential();
      const plaintexts = { fcSandbox: fakeFranceConnectCredential(), fcProd: fakeFranceConnectCredential(), apip: fakeApiParticulierToken('rotation'), totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
      // 1. Secrets written by the API under the old key (test1).
      const config = await testPlatformConfig({ DATABASE_URL: url });
      const infrastructure = await openPlatformInfrastructure(config, 'api');
      const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture() });
      const tenant = await makeTenant(ds);
      const other = await makeTenant(ds);
      const { authorization, user } = await makeStaff(ds, 'onboarding_agent');
      try {
        const base = `/api/tenants/${tenant.id}/credentials`;
        expect((await callApi(api.url, 'PUT', `${base}/franceconnect/sandbox`, { auth: authorization, body: { clientId: fakeFranceConnectCredential(), clientSecret: plaintexts.fcSandbox } })).status).toBe(200);
        expect((await callApi(api.url, 'PUT', `${base}/franceconnect/production`, { auth: authorization, body: { clientId: fakeFranceConnectCredential(), clientSecret: plaintexts.fcProd } })).status).toBe(200);
        expect((await callApi(api.url, 'PUT', `${base}/api-particulier/production`, { auth: authorization, body: { token: plaintexts.apip } })).status).toBe(200);
        const otherBase = `/api/tenants/${other.id}/credentials`;
        expect((await callApi(api.url, 'PUT', `${otherBase}/franceconnect/sandbox`, { auth: authorization, body: { clientId: fakeFranceConnectCredential(), clientSecret: otherSecret } })).status).toBe(200);
      } finally {
        await api.close();
        await infrastructure.close();
      }
      const oldBox = new SecretBox(config.secrets.keyring);
      // The registry must use the accounts area's own field name for TOTP seeds.
      expect(TOTP_SECRET_FIELD).toBe('totp_secret');
      await ds.getRepository(UserEntity).update({ id: user.id }, { totpSecretCiphertext: oldBox.encrypt(plaintexts.totp, { tenantId: user.id, field: 'totp_secret' }) });
      const before = await storedSecrets(ds);
      expect(before).toHaveLength(5);
      expect(before.every((s) => s.ciphertext.startsWith('v1.test1.'))).toBe(true);

      // 2. The operator adds the new key, makes it active and runs the command.
      const env = testProcessEnv({ DATABASE_URL: url, SECRETS_KEYS: `${TEST_SECRETS_KEYS},${newKey}`, SECRETS_ACTIVE_KEY: 'k2' });
      const run = await runBuiltCli(['secrets:rotate'], env);
      expect(run.output).toContain('franceconnect_credential.client_secret_ciphertext: 3 re-encrypted, 0 changed meanwhile, 0 failed, 0 remaining');
      expect(run.output).toContain('api_particulier_credential.token_ciphertext: 1 re-encrypted');
      expect(run.output).toContain('app_user.totp_secret_ciphertext: 1 re-encrypted');
      expect(run.output).toContain('keys other than it can now be removed');
      expect(run.code).toBe(0);
      for (const value of Object.values(plaintexts)) expect(run.output).not.toContain(value);

      // 3. Every secret decrypts with a keyring that no longer holds the old key.
      const newOnly = new SecretBox(parseKeyring(newKey, 'k2'));
      const after = await storedSecrets(ds);
      expect(after).toHaveLength(5);
      const clear = after.map((s) => {
        expect(s.ciphertext).toMatch(/^v1\.k2\./);
        return newOnly.decrypt(s.ciphertext, { tenantId: s.tenantId, field: s.field });
      });
      expect(clear).toEqual(expect.arrayContaining([...Object.values(plaintexts), otherSecret]));
      expect(() => oldBox.decrypt(after[0]?.ciphertext ?? '', { tenantId: after[0]?.tenantId ?? '', field: after[0]?.field ?? '' })).toThrow(/not in the keyring/);

      // 4. The API started with the new key only reads every entry.
      await withOtherApi({ DATABASE_URL: url, SECRETS_KEYS: newKey, SECRETS_ACTIVE_KEY: 'k2' }, { heartbeat: false, logDestination: new LogCapture() }, async (newApi) => {
        const listed = await callApi<{ franceconnect: { clientSecret: { status: string; masked: string } }[]; apiParticulier: { token: { status: string; masked: string } }[] }>(
          newApi.url,
          'GET',
          `/api/tenants/${tenant.id}/credentials`,
          { auth: authorization },
        );
        expect(listed.body.franceconnect.map((c) => c.clientSecret)).toEqual([
          { status: 'ok', masked: `••••••••${plaintexts.fcProd.slice(-4)}` },
          { status: 'ok', masked: `••••••••${plaintexts.fcSandbox.slice(-4)}` },
        ]);
        expect(listed.body.apiParticulier.map((c) => c.token)).toEqual([{ status: 'ok', masked: `••••••••${plaintexts.apip.slice(-4)}` }]);
      });

      // 5. Idempotent: a second run has nothing left to do.
      const again = await runBuiltCli(['secrets:rotate'], env);
      expect(again.code).toBe(0);
      expect(again.output).toContain('franceconnect_credential.client_secret_ciphertext: 0 re-encrypted, 0 changed meanwhile, 0 failed, 0 remaining');
      const audit: { changes: { activeKeyId: string } }[] = await ds.query(`SELECT changes FROM audit_log WHERE action = 'secrets.rotated' ORDER BY id`);
      expect(audit).toHaveLength(2);
      expect(audit[0]?.changes.activeKeyId).toBe('k2');
    });
  }, 90_000);

  it('never overwrites a value written meanwhile, and reports rows that do not decrypt', async () => {
    await withScratchDataSource('fcplat-test-rotation', async (ds) => {
      const oldKeyring = parseKeyring(TEST_SECRETS_KEYS, 'test1');
      const oldBox = new SecretBox(oldKeyring);
      const newKey = `k3:${generateKey()}`;
      const box = new SecretBox(parseKeyring(`${TEST_SECRETS_KEYS},${newKey}`, 'k3'));
      const a = await makeTenant(ds);
      const b = await makeTenant(ds);
      const insert = (tenantId: string, environment: string, ciphertext: string) =>
        ds.query(`INSERT INTO franceconnect_credential (tenant_id, environment, client_id, client_secret_ciphertext, signing_algorithm) VALUES ($1, $2, 'id', $3, 'ES256') RETURNING id`, [
          tenantId,
          environment,
          ciphertext,
        ]) as Promise<{ id: string }[]>;
      const [raced] = await insert(a.id, 'sandbox', oldBox.encrypt('raced-secret-000000', { tenantId: a.id, field: 'fc_client_secret:sandbox' }));
      const copied = oldBox.encrypt('copied-secret-111111', { tenantId: a.id, field: 'fc_client_secret:production' });
      await insert(b.id, 'production', copied); // a ciphertext of tenant A pasted into tenant B's row
      const writtenMeanwhile = box.encrypt('new-value-from-the-api', { tenantId: a.id, field: 'fc_client_secret:sandbox' });
      const lines: string[] = [];
      const reports = await rotateSecrets(ds, box, ENCRYPTED_COLUMNS.slice(0, 1), {
        out: (line) => lines.push(line),
        beforeWrite: async (_table, id) => {
          if (id === raced?.id) await ds.query(`UPDATE franceconnect_credential SET client_secret_ciphertext = $1 WHERE id = $2`, [writtenMeanwhile, id]);
        },
      });
      expect(reports).toEqual([
        expect.objectContaining({ table: 'franceconnect_credential', examined: 2, rotated: 0, changedMeanwhile: 1, failed: 1, remaining: 1 }),
      ]);
      const rows: { c: string }[] = await ds.query(`SELECT client_secret_ciphertext AS c FROM franceconnect_credential WHERE id = $1`, [raced?.id]);
      expect(rows[0]?.c).toBe(writtenMeanwhile);
      expect(lines.join('\n')).toMatch(/franceconnect_credential\.client_secret_ciphertext row [0-9a-f-]{36}: SECRET_DECRYPTION_FAILED/);
      expect(lines.join('\n')).not.toContain('copied-secret');
      expect(lines.join('\n')).not.toContain(copied);
    });
  }, 60_000);
});
