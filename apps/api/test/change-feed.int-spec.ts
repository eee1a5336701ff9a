/**
 * The per-process caches of the login path (portals, FranceConnect clients) and of the guard (API
 * tokens) stay true across replicas (issue 15): two API processes on one database; replica A
 * caches, the change is made elsewhere (replica B's API, or plain SQL as an operator would), and A
 * follows at once — through PostgreSQL's change notifications, which the test also shows to be
 * what does it (with the trigger disabled, A keeps serving the old value).
 */
import type { TenantEntity } from '@fcplat/db';
import {
  connectTenantToSandboxFranceConnect,
  eventually,
  freePort,
  makeStaff,
  makeTenant,
  scratchMigratedDatabase,
  testPlatformConfig,
  type ScratchDatabase,
  type TestStaff,
} from '@fcplat/testing';
import { ChangeFeed } from '../src/infrastructure/change-feed.js';
import type { ApiApp } from '../src/app.js';
import { startApiProcess, useSandboxFranceConnect, type ApiProcess } from './api-harness.js';

/** A notification is delivered in milliseconds; this is only the test's patience. */
const DELIVERY_MS = 3_000;

describe('caches follow changes made on any replica', () => {
  let scratch: ScratchDatabase;
  const sandboxBase = useSandboxFranceConnect();
  const replicas: ApiProcess[] = [];
  let a: ApiApp;
  let b: ApiApp;
  let staff: TestStaff;
  let publicUrl: string;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase();
    // Both replicas answer for the same public URL (as behind a load balancer).
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 2; i += 1) {
      const config = await testPlatformConfig({ PORT: String(i === 0 ? port : await freePort()), PUBLIC_URL: publicUrl, DATABASE_URL: scratch.url });
      replicas.push(await startApiProcess(config));
    }
    [a, b] = replicas.map((r) => r.api) as [ApiApp, ApiApp];
    staff = await makeStaff(scratch.dataSource, 'admin');
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await scratch?.drop();
  });

  /**
   * Waits until replica `api` has heard every notification committed so far (they arrive in commit
   * order: a marker sent now comes after them), e.g. the INSERT of a tenant just made, which would
   * otherwise drop what the replica caches next.
   */
  const heardAllSoFar = async (api: ApiApp): Promise<void> => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    const heard = new Promise<void>((resolve) => {
      api.app.get(ChangeFeed).register({ changed: (change) => change.key === marker && resolve(), reset: () => undefined });
    });
    await scratch.dataSource.query(`SELECT pg_notify('fcplat_changes', 'test:' || $1::text)`, [marker]);
    await heard;
  };

  const portalStatus = async (api: ApiApp, tenant: TenantEntity): Promise<number> => (await fetch(`${api.url}/api/portal/${tenant.slug}`)).status;
  const clientIdOfLogin = async (api: ApiApp, tenant: TenantEntity): Promise<string | null> => {
    const response = await fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/login`, { redirect: 'manual' });
    const location = response.headers.get('location');
    return location ? new URL(location, api.url).searchParams.get('client_id') : null;
  };

  it('a suspended portal is gone from every replica as soon as the change is committed', async () => {
    const tenant = await makeTenant(scratch.dataSource);
    expect(await portalStatus(a, tenant)).toBe(200); // cached by A
    await scratch.dataSource.query(`UPDATE tenant SET status = 'suspended' WHERE id = $1`, [tenant.id]);
    await eventually(async () => (await portalStatus(a, tenant)) === 404, DELIVERY_MS, 'replica A sees the suspension');
  });

  it('without the notification, the replica would keep its cached portal: the trigger is what invalidates', async () => {
    const tenant = await makeTenant(scratch.dataSource);
    await heardAllSoFar(a);
    expect(await portalStatus(a, tenant)).toBe(200);
    await scratch.dataSource.query(`ALTER TABLE tenant DISABLE TRIGGER tenant_notify_change`);
    try {
      await scratch.dataSource.query(`UPDATE tenant SET status = 'suspended' WHERE id = $1`, [tenant.id]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await portalStatus(a, tenant)).toBe(200); // stale: nothing told A
      expect(await portalStatus(b, tenant)).toBe(404); // B had not cached it
    } finally {
      await scratch.dataSource.query(`ALTER TABLE tenant ENABLE TRIGGER tenant_notify_change`);
    }
  });

  it('new FranceConnect credentials saved through replica B are used by replica A’s next login', async () => {
    const tenant = await makeTenant(scratch.dataSource);
    const first = await connectTenantToSandboxFranceConnect({ apiUrl: b.url, sandboxBase: sandboxBase(), tenant, authorization: staff.authorization });
    expect(await clientIdOfLogin(a, tenant)).toBe(first.clientId); // A caches the client
    const second = await connectTenantToSandboxFranceConnect({ apiUrl: b.url, sandboxBase: sandboxBase(), tenant, authorization: staff.authorization });
    expect(second.clientId).not.toBe(first.clientId);
    await eventually(async () => (await clientIdOfLogin(a, tenant)) === second.clientId, DELIVERY_MS, 'replica A uses the new client');
  });

  it('a revoked API token is refused by a replica that had it cached', async () => {
    const owner = await makeStaff(scratch.dataSource, 'admin');
    const me = async (): Promise<number> => (await fetch(`${a.url}/api/auth/me`, { headers: { authorization: owner.authorization } })).status;
    expect(await me()).toBe(200);
    await scratch.dataSource.query(`UPDATE api_token SET revoked_at = now() WHERE user_id = $1`, [owner.user.id]);
    await eventually(async () => (await me()) === 401, DELIVERY_MS, 'replica A refuses the revoked token');
  });

  it('while its notifications are cut, a replica reads through, and caches again once they are back', async () => {
    const feed = a.app.get(ChangeFeed);
    const tenant = await makeTenant(scratch.dataSource);
    expect(await portalStatus(a, tenant)).toBe(200);
    const pid = await feed.backendPid();
    expect(pid).not.toBeNull();
    await scratch.dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
    await eventually(async () => !feed.live, DELIVERY_MS, 'replica A notices the lost connection');
    // A change it cannot hear of: A must not answer from its cache.
    await scratch.dataSource.query(`ALTER TABLE tenant DISABLE TRIGGER tenant_notify_change`);
    try {
      await scratch.dataSource.query(`UPDATE tenant SET status = 'suspended' WHERE id = $1`, [tenant.id]);
    } finally {
      await scratch.dataSource.query(`ALTER TABLE tenant ENABLE TRIGGER tenant_notify_change`);
    }
    expect(await portalStatus(a, tenant)).toBe(404);
    await eventually(async () => feed.live, 5_000, 'replica A listens again');
  });
});
