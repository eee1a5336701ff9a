import { withBrowserWriteHeaders } from './csrf.js';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { parseKeyring, SecretBox } from '@fcplat/crypto';
import { HabilitationEntity } from '@fcplat/db';
import { TEST_SECRETS_KEYS } from './environment.js';
import { REPO_ROOT } from './processes.js';

/** A SIRET of La Poste (SIREN 356000000) valid only by La Poste's rule (digit sum multiple of 5, Luhn-invalid). */
export function laPosteSiret(): string {
  for (;;) {
    const nic = String(Math.floor(Math.random() * 100_000)).padStart(5, '0');
    const siret = `356000000${nic}`;
    const sum = [...siret].reduce((acc, d) => acc + Number(d), 0);
    if (sum % 5 === 0 && !luhn(siret)) return siret;
  }
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** One establishment the fake company directory knows, in recherche-entreprises terms. */
export interface FakeDirectoryEntry {
  readonly siret: string;
  /** `nom_raison_sociale`. */
  readonly name: string;
  /** `nature_juridique` (4 digits). */
  readonly legalCategory: string;
  /** Establishment `etat_administratif`: `A` open, `F` closed. Default `A`. */
  readonly establishmentState?: 'A' | 'F';
  /** Unit `etat_administratif`: `A` active, `C` ceased. Default `A`. */
  readonly unitState?: 'A' | 'C';
  readonly street?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly communeCode?: string;
}

export interface FakeDirectory {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use it as COMPANY_DIRECTORY_URL). */
  readonly url: string;
  /** `q` of every `/search` call received. */
  readonly queries: string[];
  register(entry: FakeDirectoryEntry): void;
  /** Answer `status` (e.g. 503) for this SIRET until `heal(siret)`. */
  fail(siret: string, status?: number): void;
  heal(siret: string): void;
  close(): Promise<void>;
}

/**
 * A stand-in for https://recherche-entreprises.api.gouv.fr on 127.0.0.1, answering `GET /search`
 * in the real API's format (`results[].siren, nom_complet, nom_raison_sociale, nature_juridique,
 * etat_administratif, siege, matching_etablissements`), for the entries registered by the test.
 */
export async function startFakeDirectory(): Promise<FakeDirectory> {
  const entries = new Map<string, FakeDirectoryEntry>();
  const failures = new Map<string, number>();
  const queries: string[] = [];
  const establishment = (e: FakeDirectoryEntry) => ({
    siret: e.siret,
    est_siege: true,
    etat_administratif: e.establishmentState ?? 'A',
    date_fermeture: e.establishmentState === 'F' ? '2021-12-31' : null,
    adresse: [e.street ?? '1 PLACE DE LA MAIRIE', e.postalCode ?? '92140', e.city ?? 'CLAMART'].join(' '),
    code_postal: e.postalCode ?? '92140',
    libelle_commune: e.city ?? 'CLAMART',
    commune: e.communeCode ?? '92023',
    activite_principale: '84.11Z',
    liste_enseignes: null,
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/search') return send(404, { erreur: 'Route inconnue' });
    const q = url.searchParams.get('q') ?? '';
    queries.push(q);
    const failure = failures.get(q);
    if (failure) return send(failure, { erreur: 'Service momentanément indisponible' });
    const entry = entries.get(q);
    const results = entry
      ? [
          {
            siren: entry.siret.slice(0, 9),
            nom_complet: entry.name,
            nom_raison_sociale: entry.name,
            sigle: null,
            nature_juridique: entry.legalCategory,
            etat_administratif: entry.unitState ?? 'A',
            date_fermeture: entry.unitState === 'C' ? '2022-01-01' : null,
            siege: establishment(entry),
            matching_etablissements: [establishment(entry)],
            complements: { est_service_public: null, collectivite_territoriale: null },
          },
        ]
      : [];
    send(200, { results, total_results: results.length, page: 1, per_page: 5, total_pages: results.length });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    register: (entry) => void entries.set(entry.siret, entry),
    fail: (siret, status = 503) => void failures.set(siret, status),
    heal: (siret) => void failures.delete(siret),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `X-Hub-Signature-256` value of a DataPass webhook body. */
export function signDataPassWebhook(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export interface DataPassWebhookOptions {
  readonly event: string;
  readonly siret: string;
  readonly product?: 'api_particulier' | 'france_connect' | string;
  readonly id?: number;
  readonly state?: string;
  readonly scopes?: readonly string[];
  readonly modalities?: readonly string[];
  /** Unix seconds. Default: now. */
  readonly firedAt?: number;
}

/** A DataPass webhook body shaped like DataPass' serializer (docs/domain.md §3). */
export function dataPassWebhookPayload(options: DataPassWebhookOptions): Record<string, unknown> {
  const id = options.id ?? Math.floor(Math.random() * 1_000_000);
  const firedAt = options.firedAt ?? Math.floor(Date.now() / 1000);
  return {
    event: options.event,
    fired_at: firedAt,
    model_type: `authorization_request/${options.product ?? 'api_particulier'}`,
    model_id: id,
    data: {
      id,
      public_id: `${randomBytes(4).toString('hex')}-${id}`,
      type: `AuthorizationRequest::${options.product === 'france_connect' ? 'FranceConnect' : 'APIParticulier'}`,
      state: options.state ?? 'submitted',
      form_uid: 'api-particulier-editeur',
      data: {
        intitule: 'Tarification sociale de la cantine',
        scopes: [...(options.scopes ?? ['cnaf_quotient_familial'])],
        ...(options.modalities ? { modalities: [...options.modalities] } : {}),
        contact_technique_email: 'tech@editeur.test',
      },
      created_at: firedAt - 3600,
      last_submitted_at: firedAt - 60,
      last_validated_at: options.event === 'approve' ? firedAt : null,
      organization: { id: 42, name: 'COMMUNE DE TEST', siret: options.siret, insee_payload: {} },
      applicant: { id: 7, email: 'agent@mairie.test', given_name: 'Camille', family_name: 'Martin', phone_number: '0600000000', job_title: 'DGS' },
      service_provider: { id: 'editeur', siret: '13002526500013', type: 'editor' },
      authorizations: [],
    },
  };
}

/**
 * Sets the current DataPass state of a tenant's habilitation (creating it if needed), with
 * `updated_at` = `at`: a shortcut for tests of other areas that only need the fact.
 */
export async function recordHabilitationState(
  dataSource: DataSource,
  tenantId: string,
  product: 'api_particulier' | 'franceconnect',
  state: string,
  at: Date = new Date(),
): Promise<void> {
  await dataSource.query(
    `INSERT INTO tenant_habilitation (tenant_id, product, state, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, product) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [tenantId, product, state, at],
  );
}

/**
 * A token shaped like API Particulier's (a JWT: header.payload.signature in base64url), unsigned
 * by anyone real: for tests that store a token without calling with it. `exp` only when given.
 */
export function fakeApiParticulierToken(subject: string, expiresAt?: Date): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = { sub: subject, jti: randomBytes(8).toString('hex'), ...(expiresAt ? { exp: Math.floor(expiresAt.getTime() / 1000) } : {}) };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}

/** 64 lowercase hexadecimal characters: the format of FranceConnect's client ids and secrets. */
export function fakeFranceConnectCredential(): string {
  return randomBytes(32).toString('hex');
}

/** Makes `environment` the tenant's live environment of `product` directly (a platform choice, no person). */
export async function recordLiveEnvironment(dataSource: DataSource, tenantId: string, product: 'franceconnect' | 'api_particulier', environment: string): Promise<void> {
  await dataSource.query(
    `INSERT INTO tenant_live_environment (tenant_id, product, environment) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, product) DO UPDATE SET environment = excluded.environment, chosen_at = now(), version = tenant_live_environment.version + 1`,
    [tenantId, product, environment],
  );
}

/**
 * Stores a credential for a tenant directly in the vault tables, encrypted with the test keyring
 * (`TEST_SECRETS_KEYS`, key `test1`) exactly as the API does. Returns the plaintext secret.
 */
export async function recordStoredCredential(
  dataSource: DataSource,
  tenantId: string,
  kind: 'franceconnect' | 'api_particulier',
  environment: string,
): Promise<string> {
  const box = new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1'));
  // The real formats: FranceConnect's 64 hexadecimal characters, API Particulier's JWT.
  const secret = kind === 'franceconnect' ? randomBytes(32).toString('hex') : fakeApiParticulierToken(`${kind}-${environment}`);
  if (kind === 'franceconnect') {
    const ciphertext = box.encrypt(secret, { tenantId, field: `fc_client_secret:${environment}` });
    await dataSource.query(
      `INSERT INTO franceconnect_credential (tenant_id, environment, client_id, client_secret_ciphertext, signing_algorithm, issuer_url)
       VALUES ($1, $2, $3, $4, 'ES256', $5)`,
      [tenantId, environment, randomBytes(32).toString('hex'), ciphertext, environment === 'custom' ? 'http://127.0.0.1:4010/api/v2' : null],
    );
  } else {
    const ciphertext = box.encrypt(secret, { tenantId, field: `apip_token:${environment}` });
    await dataSource.query(
      `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, base_url, received_on, expires_on)
       VALUES ($1, $2, $3, $4, current_date, current_date + interval '18 months')`,
      [tenantId, environment, ciphertext, environment === 'custom' ? 'http://127.0.0.1:4020' : null],
    );
  }
  return secret;
}

export async function makeHabilitation(
  dataSource: DataSource,
  tenantId: string,
  product: 'api_particulier' | 'franceconnect',
  overrides: Partial<HabilitationEntity> = {},
): Promise<HabilitationEntity> {
  return dataSource.getRepository(HabilitationEntity).save({ tenantId, product, state: 'draft', scopes: [], modalities: [], ...overrides });
}

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * Calls the API over real HTTP with a JSON body. `auth` is an `Authorization` value (staff API
 * token, `Bearer …`) or a session `Cookie` value (`fcplat_session=…`).
 */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) {
    if (options.auth.startsWith('Bearer ')) headers.authorization = options.auth;
    else headers.cookie = options.auth;
  }
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  // A cookie session writes the way the console does: same origin, with its CSRF token.
  const response = await fetch(`${baseUrl}${path}`, { method, headers: withBrowserWriteHeaders(method, path, headers), ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * Runs the built operator CLI (`apps/api/dist/cli/main.js <args>`) to completion, as an operator
 * would (`npm run cli -- <args>`). Needs the build (`npx tsc -b tsconfig.build.json`).
 */
export async function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const script = resolve(REPO_ROOT, 'apps/api/dist/cli/main.js');
  if (!existsSync(script)) throw new Error('apps/api/dist/cli/main.js is not built: run `npx tsc -b tsconfig.build.json` first');
  const child = spawn(process.execPath, [script, ...args], { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} did not finish within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}
