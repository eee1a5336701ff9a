import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fakeApiParticulierToken, LogCapture, makeStaff, makeTenant, testDatabaseConfig } from '@fcplat/testing';
import { useTestApi } from './api-harness.js';

/** SR-21: a real `pg_dump` of the database, after storing secrets through the API, holds none in clear. */
describe('database dump after storing secrets', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs }, { COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });

  function pgDump(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('pg_dump', ['--data-only', '--no-owner', url], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let errors = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`pg_dump failed: ${errors}`))));
    });
  }

  it('contains the ciphertexts and none of the plaintexts, and the API never logged them', async () => {
    const staff = await makeStaff(platform.dataSource, 'admin');
    const tenant = await makeTenant(platform.dataSource);
    const clientId = randomBytes(32).toString('hex');
    const clientSecret = randomBytes(32).toString('hex');
    const apipToken = fakeApiParticulierToken(`dump-${randomBytes(6).toString('hex')}`);
    const headers = { authorization: staff.authorization, 'content-type': 'application/json' };
    const fc = await fetch(`${platform.api.url}/api/tenants/${tenant.id}/credentials/franceconnect/production`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ clientId, clientSecret }),
    });
    expect(fc.status).toBe(200);
    const apip = await fetch(`${platform.api.url}/api/tenants/${tenant.id}/credentials/api-particulier/production`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ token: apipToken }),
    });
    expect(apip.status).toBe(200);
    const listed = await (await fetch(`${platform.api.url}/api/tenants/${tenant.id}/credentials`, { headers })).text();
    expect(listed).not.toContain(clientSecret);
    expect(listed).not.toContain(apipToken);

    const dump = await pgDump(testDatabaseConfig().url);
    expect(dump).toContain(clientId);
    expect(dump).toMatch(/v1\.test1\./);
    for (const secret of [clientSecret, apipToken]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString('base64'));
      expect(logs.text).not.toContain(secret);
    }
  });
});
