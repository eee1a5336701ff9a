/**
 * Read-your-writes for the per-process caches (`ChangesCaughtUpInterceptor`): the next request on
 * the replica that made a change never sees the cached value from before it. The replica's
 * listening connection goes through a proxy that delivers PostgreSQL's bytes late (800 ms), as a
 * slow network would: a change made elsewhere is then heard late (first test, showing that the lag
 * is real and the cache is served meanwhile), yet a change made through the replica is seen by the
 * very next request (CI once saw a revoked token accepted by the next request: its notification
 * was a few milliseconds behind the 204).
 */
import {
  eventually,
  makeSessionCookie,
  makeStaff,
  makeTenant,
  withBrowserWriteHeaders,
  type ScratchDatabase,
} from '@fcplat/testing';
import { ChangeFeed } from '../src/infrastructure/change-feed.js';
import type { ApiApp } from '../src/app.js';
import { useProxiedApi } from './api-harness.js';

const LAG_MS = 800;

describe('a replica reads its own writes through its caches', () => {
  let scratch: ScratchDatabase;
  let api: ApiApp;
  useProxiedApi((started) => ({ scratch, api } = started), { proxy: { lag: { applicationName: 'fcplat-api-changes', ms: LAG_MS } } });

  beforeAll(() => {
    expect(api.app.get(ChangeFeed).live).toBe(true);
  });

  const me = async (authorization: string): Promise<number> => (await fetch(`${api.url}/api/auth/me`, { headers: { authorization } })).status;
  const write = async (method: string, path: string, cookie: string, body?: unknown): Promise<number> => {
    const headers: Record<string, string> = { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await fetch(`${api.url}${path}`, { method, headers: withBrowserWriteHeaders(method, path, headers), body: body === undefined ? undefined : JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  };

  it('a change made elsewhere is heard late through the slow connection: meanwhile the cache answers', async () => {
    const owner = await makeStaff(scratch.dataSource, 'admin');
    expect(await me(owner.authorization)).toBe(200); // cached
    await scratch.dataSource.query(`UPDATE api_token SET revoked_at = now() WHERE user_id = $1`, [owner.user.id]);
    expect(await me(owner.authorization)).toBe(200); // stale: the notification is still on its way
    await eventually(async () => (await me(owner.authorization)) === 401, 5_000, 'the revocation is heard');
  });

  it('a token revoked through the replica is refused by its very next request', async () => {
    const owner = await makeStaff(scratch.dataSource, 'admin');
    const cookie = await makeSessionCookie(scratch.dataSource, owner.user.id);
    const [token] = (await scratch.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1`, [owner.user.id])) as { id: string }[];
    expect(await me(owner.authorization)).toBe(200); // cached
    const started = Date.now();
    expect(await write('DELETE', `/api/accounts/me/tokens/${token?.id ?? ''}`, cookie)).toBe(204);
    // The answer waited for the replica to hear its own change (the lag of the slow connection).
    expect(Date.now() - started).toBeGreaterThanOrEqual(LAG_MS);
    expect(await me(owner.authorization)).toBe(401);
  });

  it('a portal suspended through the replica is gone from its very next request', async () => {
    const admin = await makeStaff(scratch.dataSource, 'admin');
    const cookie = await makeSessionCookie(scratch.dataSource, admin.user.id);
    const tenant = await makeTenant(scratch.dataSource);
    await eventually(async () => (await fetch(`${api.url}/api/portal/${tenant.slug}`)).status === 200, 5_000, 'the portal is served');
    expect((await fetch(`${api.url}/api/portal/${tenant.slug}`)).status).toBe(200); // cached
    expect(await write('PATCH', `/api/tenants/${tenant.id}`, cookie, { version: tenant.version, status: 'suspended' })).toBe(200);
    expect((await fetch(`${api.url}/api/portal/${tenant.slug}`)).status).toBe(404);
  });
});
