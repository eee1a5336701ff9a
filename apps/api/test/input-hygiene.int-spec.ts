import { browserWriteHeaders, LogCapture, makeCitizen, makeCitizenSession, makeClientAdmin, makeStaff, makeTenant, type TestClientAdmin } from '@fcplat/testing';
import type { TenantEntity } from '@fcplat/db';
import { useTestApi } from './api-harness.js';

/**
 * Control characters (NUL first: PostgreSQL refuses it with 22021, a 500) are refused at the edge
 * with a 400 naming the field, on every route of the OpenAPI document: every string field of
 * every JSON body and every string query parameter and path parameter gets a value with `\u0000`.
 * A new route is covered the day it is added.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; nullable?: boolean };
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: Schema;
}
interface Operation {
  readonly method: Method;
  readonly path: string;
  readonly parameters: Parameter[];
  readonly body?: Schema;
}
interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Problem {
  readonly code?: string;
  readonly violations?: { path: string; message: string }[];
}

const NUL = 'a\u0000b';
const CONTROL = /caractère de contrôle/;

describe('control characters refused on every route (OpenAPI walk)', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs }, { COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });
  let document: Document;
  let operations: Operation[];
  let tenant: TenantEntity;
  let admin: TestClientAdmin;
  let staff: string;
  let citizenCookie: string;

  beforeAll(async () => {
    tenant = await makeTenant(platform.dataSource);
    admin = await makeClientAdmin(platform.dataSource, tenant.id);
    staff = (await makeStaff(platform.dataSource, 'admin')).authorization;
    citizenCookie = await makeCitizenSession(platform.dataSource, await makeCitizen(platform.dataSource, tenant.id));
    document = (await (await fetch(`${platform.api.url}/api/openapi.json`)).json()) as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (Object.keys(item) as string[])
        .filter((m): m is Method => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => {
          const op = item[method] ?? {};
          return { method, path, parameters: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema };
        }),
    );
  }, 60_000);

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    return resolve(document.components?.schemas?.[schema.$ref.split('/').pop() ?? '']);
  };

  const isString = (schema: Schema | undefined): boolean => {
    const s = resolve(schema);
    if (!s) return false;
    if (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'))) return true;
    return [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].some(isString);
  };

  /** Every string leaf of a body schema, as paths (array items as index 0). */
  const stringFields = (schema: Schema | undefined, path: (string | number)[] = [], depth = 0): (string | number)[][] => {
    const s = resolve(schema);
    if (!s || depth > 6) return [];
    if (path.length > 0 && isString(s)) return [path];
    const variants = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
    return [
      ...Object.entries(s.properties ?? {}).flatMap(([name, inner]) => stringFields(inner, [...path, name], depth + 1)),
      ...(s.items ? stringFields(s.items, [...path, 0], depth + 1) : []),
      ...variants.flatMap((v) => stringFields(v, path, depth + 1)),
    ];
  };

  const nested = (path: (string | number)[], value: unknown): unknown =>
    path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);

  function concrete(path: string, override?: { name: string; value: string }): string {
    return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (override?.name === name) return encodeURIComponent(override.value);
      if (name === 'tenantId' || name === 'id') return tenant.id;
      if (name === 'slug') return tenant.slug;
      if (name === 'product') return 'franceconnect';
      if (name === 'environment') return 'sandbox';
      if (name === 'itemId') return 'FC-01';
      return '00000000-0000-4000-8000-000000000000';
    });
  }

  /** Calls as platform staff, then (when refused by role) as the tenant's client administrator; always with a citizen session. */
  async function call(method: Method, url: string, body?: unknown): Promise<{ status: number; problem: Problem }> {
    let last = { status: 0, problem: {} as Problem };
    const identities: Record<string, string>[] = [{ authorization: staff, cookie: citizenCookie }, { cookie: `${admin.cookie}; ${citizenCookie}` }];
    for (const identity of identities) {
      const response = await fetch(`${platform.api.url}${url}`, {
        method: method.toUpperCase(),
        redirect: 'manual',
        // As a browser would (issue 12, CSRF): same origin and the session's token on every write.
        headers: {
          ...identity,
          ...(method === 'get' ? {} : browserWriteHeaders(url.split('?')[0] ?? url, identity['cookie'])),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      last = { status: response.status, problem: text.startsWith('{') ? (JSON.parse(text) as Problem) : {} };
      if (response.status !== 403) return last;
    }
    return last;
  }

  const names = (problem: Problem, field: string): boolean => (problem.violations ?? []).some((v) => v.path === field && CONTROL.test(v.message));

  it('finds bodies, queries and path parameters to check in every area', () => {
    const bodies = operations.filter((o) => stringFields(o.body).length > 0);
    const queries = operations.filter((o) => o.parameters.some((p) => p.in === 'query' && isString(p.schema)));
    expect(bodies.length).toBeGreaterThan(20);
    expect(queries.length).toBeGreaterThan(5);
    for (const fragment of ['/api/portal/', '/api/tenants/', '/onboarding', '/api/auth/', '/api/accounts']) {
      expect(bodies.some((o) => o.path.includes(fragment))).toBe(true);
    }
  });

  it('answers 400 naming the field for a NUL in any string field of any JSON body', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      for (const field of stringFields(operation.body)) {
        const path = field.join('.');
        const { status, problem } = await call(operation.method, concrete(operation.path), nested(field, NUL));
        if (status !== 400 || !names(problem, path)) wrong.push(`${operation.method.toUpperCase()} ${operation.path} ${path} → ${status} ${JSON.stringify(problem.violations ?? problem.code)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 240_000);

  it('answers 400 naming the parameter for a NUL in any string query or path parameter', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      for (const parameter of operation.parameters.filter((p) => (p.in === 'query' || p.in === 'path') && isString(p.schema))) {
        const url =
          parameter.in === 'query'
            ? `${concrete(operation.path)}?${new URLSearchParams({ [parameter.name]: NUL }).toString()}`
            : concrete(operation.path, { name: parameter.name, value: NUL });
        const { status, problem } = await call(operation.method, url, operation.body ? {} : undefined);
        if (status !== 400 || !names(problem, parameter.name)) wrong.push(`${operation.method.toUpperCase()} ${operation.path} ${parameter.in}:${parameter.name} → ${status} ${JSON.stringify(problem.violations ?? problem.code)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Never a 500, never a PostgreSQL 22021 in the logs.
    expect(logs.text).not.toContain('22021');
  }, 240_000);

  it('accepts line breaks and tabs in multi-line text only', async () => {
    const onboarding = await call('post', `/api/tenants/${tenant.id}/onboarding/comments`, { body: 'Ligne 1\n\tLigne 2\r\nLigne 3', visibility: 'internal' });
    expect([200, 201, 404]).toContain(onboarding.status); // 404 if the tenant has no case yet: never a control-character refusal
    expect(names(onboarding.problem, 'body')).toBe(false);
    const bell = await call('post', `/api/tenants/${tenant.id}/onboarding/comments`, { body: 'Ligne 1\u0007', visibility: 'internal' });
    expect(bell.status).toBe(400);
    expect(names(bell.problem, 'body')).toBe(true);
    const name = await call('patch', `/api/tenants/${tenant.id}`, { name: 'Commune\nde Test' });
    expect(name.status).toBe(400);
    expect(names(name.problem, 'name')).toBe(true);
  });
});
