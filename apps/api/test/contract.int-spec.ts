/**
 * The API contract (libs/contract) against the running API:
 * - every route of the contract is in `/api/openapi.json` with its method, path, success status,
 *   query parameters, and exactly the request and response schemas generated from the contract's
 *   zod schemas (so the document describes the real shapes);
 * - every route of the document is in the contract, but for an explicit list of routes that are
 *   no JSON API (FranceConnect redirects, health probes, the DataPass webhook, an HTML dashboard);
 * - what the API really answers conforms: every GET route of the contract that can be called with
 *   a sample tenant is called, and its answer parsed with its response schema.
 */
import { z } from 'zod';
import { ROUTES, ROUTE_SCHEMAS, type RouteName, type RouteSchemas, type RouteSpec } from '@fcplat/contract';
import type { TenantEntity } from '@fcplat/db';
import { LogCapture, makeCitizen, makeCitizenSession, makeStaff, makeTenant } from '@fcplat/testing';
import { useTestApi } from './api-harness.js';
import { responseOpenApiSchema } from '../src/http/endpoint.js';
import { openApiSchema } from '../src/http/validation.js';

type Schema = Record<string, unknown>;
interface Operation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: Schema }> }>;
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation | undefined>>;
}

/** Routes of the document that are not part of the JSON contract, and why. */
const OUTSIDE_THE_CONTRACT: Readonly<Record<string, string>> = {
  'GET /api/health': 'liveness probe',
  'GET /api/health/ready': 'readiness probe',
  'POST /api/webhooks/datapass': 'called by DataPass, signed; its body is DataPass’s',
  'GET /api/admin/queues': 'the former dashboard page, a redirect to the console’s « Files d’attente » page',
  'GET /t/{slug}/auth/franceconnect/login': 'a browser redirect to FranceConnect',
  'GET /t/{slug}/auth/franceconnect/callback': 'a browser redirect from FranceConnect',
  'POST /t/{slug}/auth/franceconnect/logout': 'a browser form post answered by a redirect',
  'GET /t/{slug}/auth/franceconnect/logout/callback': 'a browser redirect from FranceConnect',
};

const routes = Object.entries(ROUTES) as [RouteName, RouteSpec][];
const schemasOf = (name: RouteName): RouteSchemas => ROUTE_SCHEMAS[name];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** What the document says of one route of the contract that differs from the contract (empty: it matches). */
function differences(name: RouteName, route: RouteSpec, doc: OpenApiDocument): string[] {
  const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) return [`${name}: ${route.method} ${route.path} is not in the OpenAPI document`];
  const problems: string[] = [];
  const schemas = schemasOf(name);
  const success = operation.responses?.[String(route.status)];
  if (!success) problems.push(`${name}: no ${route.status} answer documented`);
  const json = (content: Record<string, { readonly schema?: Schema }> | undefined) => content?.['application/json']?.schema;
  if (schemas.response && JSON.stringify(json(success?.content)) !== JSON.stringify(responseOpenApiSchema(schemas.response))) {
    problems.push(`${name}: the ${route.status} schema is not the contract’s`);
  }
  if (route.produces && !success?.content?.[route.produces]) problems.push(`${name}: the answer is not documented as ${route.produces}`);
  if (schemas.body && JSON.stringify(json(operation.requestBody?.content)) !== JSON.stringify(openApiSchema(schemas.body))) problems.push(`${name}: the body schema is not the contract’s`);
  if (route.rawBody && !operation.requestBody?.content?.[route.rawBody]) problems.push(`${name}: the body is not documented as ${route.rawBody}`);
  const documented = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
  const declared = schemas.query ? Object.keys((openApiSchema(schemas.query) as { properties?: Schema }).properties ?? {}).sort() : [];
  if (JSON.stringify(documented) !== JSON.stringify(declared)) problems.push(`${name}: query parameters ${documented.join(', ')} ≠ ${declared.join(', ')}`);
  return problems;
}

describe('the API contract against the running API', () => {
  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture(), frontends: [] }, { COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });
  let doc: OpenApiDocument;
  let tenant: TenantEntity;
  let staff: string;
  let citizenCookie: string;

  beforeAll(async () => {
    doc = (await (await fetch(`${platform.api.url}/api/openapi.json`)).json()) as OpenApiDocument;
    tenant = await makeTenant(platform.dataSource);
    staff = (await makeStaff(platform.dataSource, 'admin')).authorization;
    citizenCookie = await makeCitizenSession(platform.dataSource, await makeCitizen(platform.dataSource, tenant.id));
  }, 60_000);

  it('documents every route of the contract with the contract’s own schemas', () => {
    expect(routes.flatMap(([name, route]) => differences(name, route, doc))).toEqual([]);
  });

  it('detects a route, a schema or a parameter that differs', () => {
    expect(differences('getCase', { method: 'GET', path: '/api/tenants/{tenantId}/nothing', status: 200 }, doc)).toEqual(['getCase: GET /api/tenants/{tenantId}/nothing is not in the OpenAPI document']);
    // The case list's route with the pipeline's schemas: another answer, no query parameters.
    expect(differences('pipeline', ROUTES.listCases, doc)).toEqual([
      'pipeline: the 200 schema is not the contract’s',
      expect.stringMatching(/^pipeline: query parameters assignee, order, overdue, page, pageSize, search, sort, stage ≠ $/),
    ]);
  });

  it('covers every route of the OpenAPI document, but the few that are no JSON API', () => {
    const inContract = new Set(routes.map(([, route]) => `${route.method} ${route.path}`));
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((key) => !inContract.has(key)).sort()).toEqual(Object.keys(OUTSIDE_THE_CONTRACT).sort());
    expect(documented.length).toBe(inContract.size + Object.keys(OUTSIDE_THE_CONTRACT).length);
  });

  it('answers what the contract says on every GET route it can be asked with a sample tenant', async () => {
    const sample: Record<string, string> = { tenantId: tenant.id, id: tenant.id, slug: tenant.slug, product: 'franceconnect', itemId: 'FC-01', siret: tenant.siret };
    const checked: string[] = [];
    const problems: string[] = [];
    for (const [name, route] of routes) {
      const schema = schemasOf(name).response;
      if (route.method !== 'GET' || !schema) continue;
      const names = [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? '');
      if (!names.every((param) => sample[param] !== undefined)) continue;
      const url = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, param: string) => encodeURIComponent(sample[param] ?? ''));
      const response = await fetch(`${platform.api.url}${url}`, { headers: { authorization: staff, cookie: citizenCookie } });
      const body: unknown = await response.json();
      if (response.status !== 200) continue;
      const parsed = (schema as z.ZodType).safeParse(body);
      if (parsed.success) checked.push(name);
      else problems.push(`${name}: ${z.prettifyError(parsed.error)}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining(['me', 'listAccounts', 'pipeline', 'listCases', 'getCase', 'caseHistory', 'listComments', 'checklist', 'getTenant', 'listTenants', 'tenantBySlug', 'listHabilitations', 'listCredentials', 'liveEnvironments', 'franceConnectUris', 'tenantAudit', 'robotOverview', 'portal', 'portalMe']),
    );
  });
});
