import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { expandPath, ROUTES, ROUTE_SCHEMAS, routeUrl, searchOf, type RouteName, type RouteSchemas, type RouteSpec } from './index.js';

const routes = Object.entries(ROUTES) as [RouteName, RouteSpec][];
const schemasOf = (name: RouteName): RouteSchemas => ROUTE_SCHEMAS[name];
const placeholders = (path: string): string[] => [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? '').sort();

describe('the route table of the API contract', () => {
  it('is loaded by the browser without any runtime import (only `import type`)', () => {
    const source = readFileSync(fileURLToPath(new URL('./routes.ts', import.meta.url)), 'utf8');
    const imports = source.split('\n').filter((line) => /^\s*import\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !/^import type /.test(line))).toEqual([]);
    expect(source).not.toMatch(/^\s*export \* from|^\s*export \{[^}]*\} from/m);
  });

  it('has one schema entry per route, and one route per schema entry', () => {
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('declares each method and path once', () => {
    const keys = routes.map(([, route]) => `${route.method} ${route.path}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('gives each route schemas that fit its method and status', () => {
    const problems: string[] = [];
    for (const [name, route] of routes) {
      const schemas = schemasOf(name);
      if ((route.method === 'GET' || route.method === 'DELETE') && schemas.body) problems.push(`${name}: a ${route.method} has no body`);
      if (route.rawBody && schemas.body) problems.push(`${name}: a file body has no JSON schema`);
      if ((route.status === 204 || route.produces) && schemas.response) problems.push(`${name}: no JSON answer, no response schema`);
      if (route.status !== 204 && !route.produces && !schemas.response) problems.push(`${name}: a JSON answer needs a response schema`);
      if (schemas.params && !(schemas.params instanceof z.ZodObject)) problems.push(`${name}: params must be an object schema`);
      if (schemas.params && JSON.stringify(Object.keys(schemas.params.shape).sort()) !== JSON.stringify(placeholders(route.path))) {
        problems.push(`${name}: params schema ≠ path placeholders ${placeholders(route.path).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('generates a JSON schema of every request and response (what the OpenAPI document shows)', () => {
    for (const [name] of routes) {
      const { query, body, response } = schemasOf(name);
      for (const schema of [query, body, response]) if (schema) expect(() => z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' })).not.toThrow();
    }
  });
});

describe('URLs of the routes', () => {
  it('fills the path parameters, encoded, and writes the query without empty values', () => {
    expect(expandPath('/api/tenants/{tenantId}/checklist/{itemId}', { tenantId: 'a b', itemId: 'FC-01' })).toBe('/api/tenants/a%20b/checklist/FC-01');
    expect(() => expandPath('/api/tenants/{tenantId}', {})).toThrow('missing path parameter tenantId');
    expect(searchOf({ page: 2, search: '', stage: undefined, overdue: 'true' })).toBe('?page=2&overdue=true');
    expect(searchOf({})).toBe('');
    expect(routeUrl('caseHistory', { tenantId: 't1' }, { pageSize: 100, order: 'desc' })).toBe('/api/tenants/t1/onboarding/history?pageSize=100&order=desc');
  });
});
