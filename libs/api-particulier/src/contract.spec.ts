/**
 * Drift tests against API Particulier's own documents: the OpenAPI description (copied in
 * libs/api-particulier/openapi/) and the official staging payloads (apps/sandbox/data/api-particulier/).
 * If API Particulier changes a route, a required parameter or a payload shape, these fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, type ApiParticulierApi } from '@fcplat/domain';
import { checkPivotIdentity, type PivotIdentity } from './identity.js';
import { describeDrift, REQUIRED_SCHEMAS, RESPONSE_SCHEMAS } from './responses.js';
import { summarize } from './summary.js';

const LIB = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(LIB, '..', '..');
const openapi = parse(readFileSync(join(LIB, 'openapi', 'openapi-v3.yaml'), 'utf8')) as {
  paths: Record<string, { get?: { parameters?: { name: string; required?: boolean; in: string }[]; responses: Record<string, unknown> } }>;
};

const FULL: PivotIdentity = {
  nomNaissance: 'DUPONT',
  prenoms: ['Paul'],
  anneeDateNaissance: 1962,
  moisDateNaissance: 8,
  jourDateNaissance: 24,
  sexeEtatCivil: 'M',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '75107',
};

describe('routes and parameters against the OpenAPI description', () => {
  it.each(API_PARTICULIER_APIS)('%s: every route of the catalogue exists as a GET and requires recipient', (api) => {
    for (const route of Object.values(API_PARTICULIER_CATALOGUE[api].routes)) {
      const operation = openapi.paths[route as string]?.get;
      expect(operation).toBeDefined();
      expect(operation?.parameters?.find((p) => p.name === 'recipient')?.required).toBe(true);
    }
  });

  it.each(API_PARTICULIER_APIS)('%s: our pivot-identity check requires exactly what the route requires', (api) => {
    const route = API_PARTICULIER_CATALOGUE[api].routes.pivot_identity as string;
    const required = new Set((openapi.paths[route]?.get?.parameters ?? []).filter((p) => p.required).map((p) => p.name));
    expect(checkPivotIdentity(api, FULL)).toEqual([]);
    const cases: [keyof PivotIdentity, string][] = [
      ['sexeEtatCivil', 'sexeEtatCivil'],
      ['codeCogInseePaysNaissance', 'codeCogInseePaysNaissance'],
      ['jourDateNaissance', 'jourDateNaissance'],
    ];
    for (const [field, parameter] of cases) {
      const without = { ...FULL, [field]: undefined };
      const refused = checkPivotIdentity(api, without).length > 0;
      expect({ api, parameter, refused }).toEqual({ api, parameter, refused: required.has(parameter) });
    }
  });
});

const PAYLOAD_DIRS: Readonly<Record<string, ApiParticulierApi>> = {
  cnav_quotient_familial: 'quotient_familial',
  mesri_statut_etudiant: 'statut_etudiant',
  cnous_etudiant_boursier: 'statut_etudiant_boursier',
  cnav_complementaire_sante_solidaire: 'complementaire_sante_solidaire',
};

describe('the official staging payloads', () => {
  const root = join(REPO, 'apps', 'sandbox', 'data', 'api-particulier');
  const cases: [string, ApiParticulierApi, unknown][] = [];
  for (const dir of readdirSync(root)) {
    const key = Object.keys(PAYLOAD_DIRS).find((k) => dir.startsWith(`api_particulier_v3_${k}_with_`));
    if (!key) continue;
    for (const file of readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f))) {
      const doc = parse(readFileSync(join(root, dir, file), 'utf8')) as { status?: number; payload?: string };
      if (doc.status === 200 && typeof doc.payload === 'string') cases.push([`${dir}/${file}`, PAYLOAD_DIRS[key] as ApiParticulierApi, (JSON.parse(doc.payload) as { data: unknown }).data]);
    }
  }

  it('are many (the copy is complete)', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c[1])).size).toBe(4);
  });

  it.each(cases)('%s parses with our schema and summarises', (_name, api, data) => {
    const parsed = RESPONSE_SCHEMAS[api].safeParse(data);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(summarize(api, parsed.data as never).api).toBe(api);
    // What the product reads holds on every documented answer, and none is reported as drift.
    expect(REQUIRED_SCHEMAS[api].safeParse(data).success).toBe(true);
    expect(describeDrift(api, data)).toBeNull();
  });
});
