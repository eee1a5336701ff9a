import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { baseHandler, sendJson, type SandboxService } from '../http.js';
import { MemoryStore } from './franceconnect/adapter.js';
import { handleAdmin } from './franceconnect/admin.js';
import { checkAuthorizeParams } from './franceconnect/authorize-guard.js';
import { handleChecktoken, SANDBOX_API_PARTICULIER_DATA_PROVIDER, Signer, type DataProvider } from './franceconnect/checktoken.js';
import { ClientRegistry, type RegisteredClient } from './franceconnect/clients.js';
import { errorPage } from './franceconnect/pages.js';
import { HttpError, readBody, redirect, sendHtml, wantsJson, withQuery } from './franceconnect/http-utils.js';
import { handleInteraction } from './franceconnect/interactions.js';
import { generateSigningKeys, type SigningJwk } from './franceconnect/keys.js';
import { createProvider, FRANCECONNECT_TTLS, MOUNT_PATH, type FranceConnectTtls } from './franceconnect/provider.js';
import { StateFile } from './franceconnect/state-file.js';

export { ACR, FRANCECONNECT_TTLS, MOUNT_PATH, type FranceConnectTtls } from './franceconnect/provider.js';
export { SANDBOX_API_PARTICULIER_DATA_PROVIDER, CHECKTOKEN_CONTENT_TYPE, type DataProvider } from './franceconnect/checktoken.js';
export { DEMO_IDENTITIES, findIdentity, pivotIdentity, type DemoIdentity, type PivotIdentity } from './franceconnect/identities.js';
export type { ClientRegistration, RegisteredClient, ClientRegistry } from './franceconnect/clients.js';

export interface FranceConnectOptions {
  /**
   * Public issuer, e.g. `https://fcp-low.example.test/api/v2` (env `SANDBOX_FRANCECONNECT_ISSUER`).
   * Without it the issuer is `http://<Host header>/api/v2`, one per host the service is reached by.
   */
  readonly issuer?: string;
  /**
   * JSON file keeping registered clients and signing keys across restarts (env
   * `SANDBOX_FRANCECONNECT_CLIENTS_FILE`); `null` keeps everything in memory.
   */
  readonly clientsFile?: string | null;
  /** Lifetimes in seconds; FranceConnect's by default (code 30 s, access token 60 s, …). */
  readonly ttl?: Partial<FranceConnectTtls>;
  /** Data providers allowed on `/checktoken`; API Particulier's sandbox one by default. */
  readonly dataProviders?: readonly DataProvider[];
  /** Bearer token required on `/admin/*` (env `SANDBOX_FRANCECONNECT_ADMIN_TOKEN`); none by default. */
  readonly adminToken?: string;
  /** Secret mixed into pairwise subjects; a fixed sandbox value by default, so subjects are stable. */
  readonly pairwiseSalt?: string;
}

export interface FranceConnectSandbox extends SandboxService {
  readonly ttl: FranceConnectTtls;
  /** The registered service providers (the admin API's store), for in-process seeding. */
  readonly clients: ClientRegistry;
  readonly dataProviders: readonly DataProvider[];
}

const DEFAULT_PAIRWISE_SALT = 'fcplat-sandbox-franceconnect-v2';
const MAX_PROVIDERS = 16;
const AUTHORIZE_PATH = `${MOUNT_PATH}/authorize`;
const CLIENT_AUTH_PATHS: ReadonlySet<string> = new Set([`${MOUNT_PATH}/token`, `${MOUNT_PATH}/token/revocation`]);
const HOST_PATTERN = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function validIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`FranceConnect sandbox: the issuer ${issuer} is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || !url.pathname.endsWith(MOUNT_PATH)) {
    throw new Error(`FranceConnect sandbox: the issuer must be an http(s) URL ending with ${MOUNT_PATH}, without query or fragment`);
  }
  return issuer;
}

function resolveTtls(overrides: Partial<FranceConnectTtls> = {}): FranceConnectTtls {
  const ttl = { ...FRANCECONNECT_TTLS, ...overrides };
  for (const [name, value] of Object.entries(ttl)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`FranceConnect sandbox: ttl.${name} must be a positive integer (seconds)`);
  }
  return Object.freeze(ttl);
}

interface PooledProvider {
  readonly provider: Provider;
  readonly callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/**
 * Stand-in for FranceConnect v2 "fcp-low", on oidc-provider, mounted at `/api/v2` like the real
 * one: discovery, JWKS, authorize (with FranceConnect's parameter checks), an identity picker fed
 * by the sandbox's demo citizens, token (`client_secret_post`), userinfo as a signed JWT,
 * `session/end`, and the data providers' `/checktoken`; plus a sandbox-only client registration
 * API under `/admin/clients`. See franceconnect/README.md.
 */
export function franceConnectService(options: FranceConnectOptions = {}): FranceConnectSandbox {
  const meta = { id: 'franceconnect', label: 'FranceConnect v2 (bac à sable)' } as const;
  const env = process.env;
  const fixedIssuer = options.issuer ?? (env.SANDBOX_FRANCECONNECT_ISSUER || undefined);
  if (fixedIssuer !== undefined) validIssuer(fixedIssuer);
  const ttl = resolveTtls(options.ttl);
  const pairwiseSalt = options.pairwiseSalt ?? DEFAULT_PAIRWISE_SALT;
  const dataProviders = options.dataProviders ?? [SANDBOX_API_PARTICULIER_DATA_PROVIDER];
  const adminToken = options.adminToken ?? (env.SANDBOX_FRANCECONNECT_ADMIN_TOKEN || undefined);
  const filePath = options.clientsFile === undefined ? env.SANDBOX_FRANCECONNECT_CLIENTS_FILE || undefined : (options.clientsFile ?? undefined);

  const stateFile = filePath ? new StateFile(filePath) : undefined;
  const saved = stateFile?.load();
  const signingKeys: readonly SigningJwk[] = saved?.signingKeys ?? generateSigningKeys();
  const persist = (clients: readonly RegisteredClient[]): void => stateFile?.save({ clients, signingKeys });
  const registry = new ClientRegistry(saved?.clients ?? [], persist);
  if (stateFile && !saved) persist([]);

  const store = new MemoryStore();
  const signer = new Signer(signingKeys);
  const pool = new Map<string, PooledProvider>();

  const issuerOf = (req: IncomingMessage): string | undefined => {
    if (fixedIssuer !== undefined) return fixedIssuer;
    const host = req.headers.host ?? '';
    return HOST_PATTERN.test(host) ? `http://${host.toLowerCase()}${MOUNT_PATH}` : undefined;
  };

  const providerFor = (issuer: string): PooledProvider => {
    const pooled = pool.get(issuer);
    if (pooled) {
      // Most recently used last; instances are stateless views on the shared store, so an
      // evicted one is simply rebuilt.
      pool.delete(issuer);
      pool.set(issuer, pooled);
      return pooled;
    }
    const provider = createProvider(issuer, { store, registry, signingKeys, ttl, pairwiseSalt });
    // A fixed issuer is the public URL (behind a proxy, or a docker service name): every URL the
    // provider builds follows it, as at FranceConnect, whatever host the request came in on.
    if (fixedIssuer !== undefined) provider.proxy = true;
    const entry: PooledProvider = { provider, callback: provider.callback() as PooledProvider['callback'] };
    pool.set(issuer, entry);
    while (pool.size > MAX_PROVIDERS) {
      const oldest = pool.keys().next().value;
      if (oldest === undefined) break;
      pool.delete(oldest);
    }
    return entry;
  };

  const callProvider = async (entry: PooledProvider, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const original = req.url ?? '/';
    const mounted = req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
    mounted.originalUrl = original;
    mounted.baseUrl = MOUNT_PATH;
    if (fixedIssuer !== undefined) {
      const publicUrl = new URL(fixedIssuer);
      req.headers['x-forwarded-host'] = publicUrl.host;
      req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    }
    req.url = original.slice(MOUNT_PATH.length) || '/';
    if (req.url.startsWith('?')) req.url = `/${req.url}`;
    await entry.callback(req, res);
  };

  /** FranceConnect's checks before its provider sees an authorization request. */
  const guardAuthorize = async (req: IncomingMessage, res: ServerResponse, issuer: string): Promise<boolean> => {
    let params: URLSearchParams;
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'invalid_request', 'authorize takes a form body');
      params = new URLSearchParams((await readBody(req, 56 * 1024)).toString('utf8'));
      // Replayed to oidc-provider as the equivalent GET (the body is consumed).
      req.method = 'GET';
      req.url = `${AUTHORIZE_PATH}?${params.toString()}`;
      delete req.headers['content-type'];
      delete req.headers['content-length'];
    } else if (req.method === 'GET') {
      params = new URL(req.url ?? '/', 'http://sandbox.invalid').searchParams;
    } else {
      return true;
    }
    const verdict = checkAuthorizeParams(params);
    if (verdict.ok) return true;
    const client = registry.get(params.get('client_id') ?? '');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (client && params.getAll('redirect_uri').length === 1 && client.redirect_uris.includes(redirectUri)) {
      const state = params.getAll('state').length === 1 ? (params.get('state') ?? undefined) : undefined;
      redirect(res, withQuery(redirectUri, { error: 'invalid_request', error_description: verdict.description, state, iss: issuer }));
    } else if (wantsJson(req)) {
      sendJson(res, 400, { error: 'invalid_request', error_description: verdict.description });
    } else {
      sendHtml(res, 400, errorPage('Requête invalide', 'invalid_request', verdict.description));
    }
    return false;
  };

  const answerError = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const known = error instanceof HttpError ? error : undefined;
    if (!known) {
      process.stderr.write(
        `${JSON.stringify({ level: 'error', service: 'fcplat-sandbox', component: 'franceconnect', msg: 'request failed', error: error instanceof Error ? error.message : String(error) })}\n`,
      );
    }
    const status = known?.status ?? 500;
    const code = known?.error ?? 'server_error';
    const description = known?.description ?? 'unexpected error in the FranceConnect sandbox';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith(`${MOUNT_PATH}/interaction/`) && !wantsJson(req)) sendHtml(res, status, errorPage('Une erreur est survenue', code, description));
    else sendJson(res, status, { error: code, error_description: description });
  };

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (await handleAdmin(req, res, { registry, adminToken, issuerOf })) return;
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path !== MOUNT_PATH && !path.startsWith(`${MOUNT_PATH}/`)) return;
      const issuer = issuerOf(req);
      if (issuer === undefined) throw new HttpError(400, 'invalid_request', 'invalid Host header');
      const entry = providerFor(issuer);
      if (path === `${MOUNT_PATH}/checktoken`) {
        await handleChecktoken(req, res, { provider: entry.provider, registry, dataProviders, signer, pairwiseSalt });
        return;
      }
      if (await handleInteraction(req, res, { provider: entry.provider, registry })) return;
      if (path === AUTHORIZE_PATH && !(await guardAuthorize(req, res, issuer))) return;
      if (CLIENT_AUTH_PATHS.has(path) && req.headers.authorization !== undefined) {
        // oidc-provider takes client_secret_basic for a client_secret_post client; FranceConnect does not.
        throw new HttpError(401, 'invalid_client', 'client authentication must use client_secret_post (client_secret_basic is not supported)');
      }
      await callProvider(entry, req, res);
    } catch (error) {
      answerError(req, res, error);
    }
  };

  return {
    ...meta,
    ttl,
    clients: registry,
    dataProviders,
    handler: baseHandler(meta, routes, 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2'),
  };
}
