/**
 * The console's API client against the API's own OpenAPI document: the real API is started and
 * every route of the console's route table (apps/console/src/api/routes.ts) must exist in
 * `/api/openapi.json` with its method, the query parameters and request fields the console sends,
 * and the response fields it reads. The console's sources may not call an API path that is not in
 * the table.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { LogCapture, migratedTestDataSource, testPlatformConfig } from '@fcplat/testing';
import { startApi, type ApiApp } from '../../api/src/app.js';
import { ROUTES, type RouteSpec } from '../src/api/routes.js';
import { CONSOLE_DIR } from './console-harness.js';

type Schema = Record<string, unknown>;

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation | undefined>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

interface Operation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: Schema }> }>;
}

/** The schemas a schema may stand for: its $ref resolved, and each branch of allOf/anyOf/oneOf. */
function alternatives(schema: Schema | undefined, doc: OpenApiDocument): Schema[] {
  if (!schema) return [];
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    return alternatives(doc.components?.schemas?.[name], doc);
  }
  const branches = ['allOf', 'anyOf', 'oneOf'].flatMap((key) => (Array.isArray(schema[key]) ? (schema[key] as Schema[]) : []));
  return [schema, ...branches.flatMap((branch) => alternatives(branch, doc))];
}

/** The schema at `a.b[].c` inside `schema`, or null when a segment is not declared. */
function schemaAt(schema: Schema | undefined, path: string, doc: OpenApiDocument): Schema | null {
  let current: Schema[] = alternatives(schema, doc);
  for (const segment of path.split('.')) {
    const array = segment.endsWith('[]');
    const name = array ? segment.slice(0, -2) : segment;
    const next: Schema[] = [];
    for (const candidate of current) {
      const property = (candidate['properties'] as Record<string, Schema> | undefined)?.[name];
      if (!property) continue;
      for (const resolved of alternatives(property, doc)) {
        if (!array) next.push(resolved);
        else if (resolved['items']) next.push(...alternatives(resolved['items'] as Schema, doc));
      }
    }
    if (next.length === 0) return null;
    current = next;
  }
  return current[0] ?? null;
}

function jsonSchema(content: Record<string, { readonly schema?: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

/** Every problem of one route of the table against the document (empty: the contract holds). */
function contractProblems(name: string, route: RouteSpec, doc: OpenApiDocument): string[] {
  const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) return [`${name}: ${route.method} ${route.path} is not in the OpenAPI document`];
  const problems: string[] = [];
  const queryNames = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  for (const query of route.query ?? []) if (!queryNames.has(query)) problems.push(`${name}: query parameter « ${query} » is not declared`);
  if (route.rawBody !== undefined && !operation.requestBody?.content?.[route.rawBody]) problems.push(`${name}: the body type « ${route.rawBody} » is not declared`);
  const body = jsonSchema(operation.requestBody?.content);
  for (const field of route.request ?? []) {
    if (!schemaAt(body, field, doc)) problems.push(`${name}: request field « ${field} » is not in the body schema`);
  }
  const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
  if (!success) return [...problems, `${name}: no success response documented`];
  if (route.produces !== undefined && !success[1].content?.[route.produces]) problems.push(`${name}: the ${success[0]} answer is not documented as « ${route.produces} »`);
  const answer = jsonSchema(success[1].content);
  for (const field of route.response ?? []) {
    if (!schemaAt(answer, field, doc)) problems.push(`${name}: response field « ${field} » is not in the ${success[0]} schema`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('console API client against the OpenAPI document of the running API', () => {
  let dataSource: DataSource;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
    const config = await testPlatformConfig();
    infrastructure = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: [] });
    const response = await fetch(`${api.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as OpenApiDocument;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await infrastructure?.close();
    await dataSource?.destroy();
  });

  it('finds every method and path of the route table, with the fields the console sends and reads', () => {
    const routes = Object.entries(ROUTES) as [string, RouteSpec][];
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.flatMap(([name, route]) => contractProblems(name, route, doc))).toEqual([]);
  });

  it('detects a route, a parameter or a field that the API does not document', () => {
    expect(contractProblems('x', { method: 'GET', path: '/api/tenants/{id}/nothing' }, doc)).toEqual(['x: GET /api/tenants/{id}/nothing is not in the OpenAPI document']);
    expect(contractProblems('x', { method: 'DELETE', path: '/api/tenants/{id}' }, doc)).toHaveLength(1);
    expect(contractProblems('x', { method: 'GET', path: '/api/onboarding/cases', query: ['colour'], response: ['items[].tenantName', 'items[].colour', 'items[].assignee.nickname'] }, doc)).toEqual([
      'x: query parameter « colour » is not declared',
      'x: response field « items[].colour » is not in the 200 schema',
      'x: response field « items[].assignee.nickname » is not in the 200 schema',
    ]);
    expect(contractProblems('x', { method: 'PATCH', path: '/api/tenants/{id}', request: ['version', 'siret'] }, doc)).toEqual(['x: request field « siret » is not in the body schema']);
  });

  it('has the qualification robot’s routes, with its screenshots and dossier downloads documented by type', () => {
    const names = ['robotOverview', 'robotRuns', 'requestRobotRun', 'robotScreenshot', 'qualificationDossierHtml', 'qualificationDossierPdf'] as const;
    expect(names.flatMap((name) => contractProblems(name, ROUTES[name], doc))).toEqual([]);
    expect(ROUTES.robotScreenshot.produces).toBe('image/png');
    expect(ROUTES.qualificationDossierPdf.produces).toBe('application/pdf');
    // The nested fields of the overview are really checked (item, person, screenshots), and a wrong type is caught.
    expect(ROUTES.robotOverview.response).toEqual(expect.arrayContaining(['lastCompleted.items[].person.disagrees', 'lastCompleted.items[].screenshots[].label', 'pending.progress.label', 'lastFailure.error.message', 'blocking']));
    expect(contractProblems('x', { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot', response: ['lastCompleted.items[].person.mood', 'pending.progress.percent'] }, doc)).toEqual([
      'x: response field « lastCompleted.items[].person.mood » is not in the 200 schema',
      'x: response field « pending.progress.percent » is not in the 200 schema',
    ]);
    expect(contractProblems('x', { method: 'GET', path: '/api/tenants/{tenantId}/qualification/dossier.pdf', produces: 'text/html' }, doc)).toEqual(['x: the 200 answer is not documented as « text/html »']);
  });

  it('calls no API path outside the route table', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(CONSOLE_DIR, 'src'))) {
      if (file.endsWith(join('api', 'routes.ts'))) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/['"`](\/api\/[^'"`]*)['"`]/g)) {
        // The queue dashboard is a page of the API linked from the menu, not a call.
        if (match[1] === '/api/admin/queues') continue;
        offenders.push(`${file.slice(CONSOLE_DIR.length)}: ${match[1]}`);
      }
      if (/\bfetch\(/.test(text) && !file.endsWith(join('api', 'client.ts'))) offenders.push(`${file.slice(CONSOLE_DIR.length)}: fetch() outside the API client`);
    }
    expect(offenders).toEqual([]);
  });
});
