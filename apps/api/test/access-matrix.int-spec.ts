import {
  LogCapture,
  makeClientAdmin,
  makeStaff,
  makeTenant,
  type TestClientAdmin,
  withBrowserWriteHeaders,
} from '@fcplat/testing';
import type { TenantEntity } from '@fcplat/db';
import { useTestApi } from './api-harness.js';

/**
 * The access matrix, derived from the OpenAPI document so that a new endpoint is covered the
 * day it is added (SR-20, SR-24):
 * - a client administrator of tenant A gets 404 on every tenant-scoped route of tenant B;
 * - read-only staff cannot call any route that writes.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Operation {
  readonly method: Method;
  readonly path: string;
}

const SAMPLE_PARAMS: Record<string, string> = {
  product: 'franceconnect',
  environment: 'sandbox',
  itemId: 'FC-01',
  commentId: '00000000-0000-4000-8000-000000000000',
};

describe('access matrix over every route of the OpenAPI document', () => {
  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture() }, { COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });
  let operations: Operation[];
  let tenantA: TenantEntity;
  let tenantB: TenantEntity;
  let adminA: TestClientAdmin;

  beforeAll(async () => {
    tenantA = await makeTenant(platform.dataSource);
    tenantB = await makeTenant(platform.dataSource);
    adminA = await makeClientAdmin(platform.dataSource, tenantA.id);
    const document = (await (await fetch(`${platform.api.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (Object.keys(item) as string[]).filter((m): m is Method => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((method) => ({ method, path })),
    );
  });

  function concrete(path: string, tenantId: string, extra: Record<string, string> = {}): string {
    return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      if (name === 'tenantId' || (name === 'id' && path.startsWith('/api/tenants/{id}'))) return tenantId;
      if (name === 'slug') return extra.slug ?? 'inconnu';
      return SAMPLE_PARAMS[name] ?? extra[name] ?? '00000000-0000-4000-8000-000000000000';
    });
  }

  async function call(method: Method, url: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`${platform.api.url}${url}`, {
      method: method.toUpperCase(),
      // A cookie session writes the way the console does (same origin, CSRF token): this matrix is about roles and tenants.
      headers: withBrowserWriteHeaders(method, url, { ...headers, ...(method === 'get' || method === 'delete' ? {} : { 'content-type': 'application/json' }) }),
      body: method === 'get' || method === 'delete' ? undefined : '{}',
    });
    await response.arrayBuffer();
    return response.status;
  }

  const isTenantScoped = (path: string): boolean => path.includes('{tenantId}') || path.startsWith('/api/tenants/{id}');

  it('finds the tenant-scoped routes of every area', () => {
    const scoped = operations.filter((o) => isTenantScoped(o.path)).map((o) => o.path);
    for (const fragment of ['/onboarding', '/checklist', '/habilitations', '/credentials', '/admins', '/audit', '/franceconnect/uris']) {
      expect(scoped.some((p) => p.includes(fragment))).toBe(true);
    }
    expect(scoped.length).toBeGreaterThan(20);
  });

  it('answers 404 to a client administrator of tenant A on every tenant-scoped route of tenant B', async () => {
    const leaks: string[] = [];
    const headers = { cookie: adminA.cookie };
    for (const operation of operations.filter((o) => isTenantScoped(o.path))) {
      const url = concrete(operation.path, tenantB.id);
      const status = await call(operation.method, url, headers);
      if (status !== 404) leaks.push(`${operation.method.toUpperCase()} ${url} → ${status}`);
    }
    expect(leaks).toEqual([]);
  });

  it('finds tenant B neither by slug, nor in lists, nor in searches, for the client administrator of A', async () => {
    const headers = { cookie: adminA.cookie };
    expect(await call('get', `/api/tenants/by-slug/${tenantB.slug}`, headers)).toBe(404);
    for (const query of ['', `?search=${encodeURIComponent(tenantB.name)}`, `?search=${tenantB.siret}`]) {
      const response = await fetch(`${platform.api.url}/api/tenants${query}`, { headers });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { id: string }[] };
      expect(page.items.map((t) => t.id)).not.toContain(tenantB.id);
    }
    const own = (await (await fetch(`${platform.api.url}/api/tenants`, { headers })).json()) as { items: { id: string }[] };
    expect(own.items.map((t) => t.id)).toEqual([tenantA.id]);
  });

  it('refuses every writing route to read-only staff', async () => {
    const readOnly = await makeStaff(platform.dataSource, 'read_only');
    const allowed: string[] = [];
    const writes = operations.filter(
      (o) => o.method !== 'get' && !o.path.startsWith('/api/auth/') && !o.path.startsWith('/api/webhooks/') && !o.path.startsWith('/api/accounts/me/') && !o.path.startsWith('/api/portal/') && !o.path.startsWith('/t/'),
    );
    expect(writes.length).toBeGreaterThan(15);
    for (const operation of writes) {
      const status = await call(operation.method, concrete(operation.path, tenantA.id, { slug: tenantA.slug }), { authorization: readOnly.authorization });
      if (status !== 403) allowed.push(`${operation.method.toUpperCase()} ${operation.path} → ${status}`);
    }
    expect(allowed).toEqual([]);
  });

  it('refuses every non-public route to an anonymous caller', async () => {
    const open: string[] = [];
    for (const operation of operations) {
      // Citizen routes have their own authentication (apps/api/test/portal-*.int-spec.ts).
      if (operation.path.startsWith('/api/auth/') || operation.path.startsWith('/api/webhooks/') || operation.path.startsWith('/api/health') || operation.path.startsWith('/api/portal/') || operation.path.startsWith('/t/')) continue;
      const status = await call(operation.method, concrete(operation.path, tenantA.id, { slug: tenantA.slug }), {});
      if (status !== 401) open.push(`${operation.method.toUpperCase()} ${operation.path} → ${status}`);
    }
    expect(open).toEqual([]);
  });
});
