import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baseHandler, type SandboxService } from '../http.js';
import { handleAdmin } from './api-particulier/admin.js';
import { loadCaseFolders, loadStagingFranceConnectTokens, type CaseFolder } from './api-particulier/case-files.js';
import { findRoute, ROUTE_FOLDERS, STAGING_FRANCECONNECT_FOLDER, type ApiDefinition } from './api-particulier/catalogue.js';
import { answerDataRoute, errorAnswer, identifyCaller, type Answer } from './api-particulier/data-routes.js';
import { apiErrors } from './api-particulier/errors.js';
import { FaultInjector, type FaultKind, type FaultSpec } from './api-particulier/faults.js';
import { FranceConnectTokenResolver } from './api-particulier/franceconnect-tokens.js';
import { DEFAULT_JOURNAL_SIZE, RequestJournal, type JournalEntry } from './api-particulier/journal.js';
import { DEFAULT_LIMITS, RateLimiter, rateLimitHeaders, type Limits } from './api-particulier/rate-limits.js';
import { SANDBOX_API_PARTICULIER_DATA_PROVIDER, type DataProvider } from './franceconnect/checktoken.js';

export { ALL_API_PARTICULIER_SCOPES, APIS, ROUTES, type ApiId, type Modality, type RouteDefinition } from './api-particulier/catalogue.js';
export { DEFAULT_LIMITS, type Limits } from './api-particulier/rate-limits.js';
export type { FaultKind, FaultSpec, FaultView } from './api-particulier/faults.js';
export type { JournalEntry } from './api-particulier/journal.js';
export { mintSandboxApiParticulierToken, SANDBOX_API_PARTICULIER_JWT_KEY, type MintedToken, type MintOptions } from './api-particulier/tokens.js';

export interface ApiParticulierSandboxOptions {
  /**
   * Base URL of the FranceConnect the `/france_connect` routes ask (`http://…/api/v2`), or a
   * getter (the sandbox's FranceConnect is known only once it listens). Without it, only
   * staging's fake FranceConnect tokens work there; other tokens get a 502.
   */
  readonly franceConnectIssuer?: string | (() => string | undefined);
  /** Credentials on FranceConnect's `/checktoken`; the sandbox's API Particulier data provider by default. */
  readonly dataProvider?: Pick<DataProvider, 'client_id' | 'client_secret'>;
  /** Bearer token required on `/admin/*` (env `SANDBOX_API_PARTICULIER_ADMIN_TOKEN`); open when unset. */
  readonly adminToken?: string;
  /** Requests per second per token; 20 by default (env `SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND`). */
  readonly perTokenPerSecond?: number;
  /** Requests per minute per client IP; 1000 by default (env `SANDBOX_API_PARTICULIER_PER_IP_PER_MINUTE`). */
  readonly perIpPerMinute?: number;
  /** Accept staging's fake FranceConnect tokens (`cnaf_qfv2`, `all_fc`…) like staging does; true by default. */
  readonly acceptStagingFranceConnectTokens?: boolean;
  /** Journal entries kept (oldest dropped first); 200 000 by default. */
  readonly journalSize?: number;
  /** Timeout of each exchange with FranceConnect, ms; 5000 by default. */
  readonly franceConnectTimeoutMs?: number;
  /** Epoch ms (rate-limit windows, token expiry, journal times); `Date.now` by default. */
  readonly clock?: () => number;
}

export interface ApiParticulierSandbox extends SandboxService {
  /** Requests to the data routes, oldest first: a live array, like recherche-entreprises' (also `GET /admin/journal`). */
  readonly journal: readonly JournalEntry[];
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  /** Puts a token's `jti` on the revocation list (also `POST /admin/tokens/revoke`). */
  revokeToken(jti: string): void;
}

const MAX_REVOKED = 100_000;
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;
const RECIPIENT_FOR_JOURNAL = /^[0-9]{1,20}$/;
const BEARER = /^Bearer +(\S+) *$/i;

/** Parsed once per process: the payloads ship with the code and never change while running. */
let loaded: { folders: ReadonlyMap<string, CaseFolder>; stagingTokens: ReadonlyMap<string, Readonly<Record<string, unknown>>> } | undefined;

function caseData(): NonNullable<typeof loaded> {
  loaded ??= { folders: loadCaseFolders(ROUTE_FOLDERS), stagingTokens: loadStagingFranceConnectTokens(STAGING_FRANCECONNECT_FOLDER) };
  return loaded;
}

function limitFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,7}$/.test(raw) || Number(raw) < 1) throw new Error(`API Particulier sandbox: ${name} must be a positive integer`);
  return Number(raw);
}

function envLimits(): Partial<Limits> {
  const perTokenPerSecond = limitFromEnv('SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND');
  const perIpPerMinute = limitFromEnv('SANDBOX_API_PARTICULIER_PER_IP_PER_MINUTE');
  return { ...(perTokenPerSecond === undefined ? {} : { perTokenPerSecond }), ...(perIpPerMinute === undefined ? {} : { perIpPerMinute }) };
}

function bearerOf(req: IncomingMessage): string | null {
  const match = BEARER.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

function requestIdOf(req: IncomingMessage): string | null {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : null;
}

function faultAnswer(spec: FaultSpec, api: ApiDefinition): Answer {
  switch (spec.status) {
    case 409:
      return errorAnswer(apiErrors.conflict());
    case 502:
      return errorAnswer(apiErrors.providerError(api.provider, api.providerCodePrefix));
    case 503:
      return errorAnswer(apiErrors.providerUnavailable(api.provider, api.providerCodePrefix));
    case 504:
      return errorAnswer(apiErrors.providerTimeout(api.provider, api.providerCodePrefix));
    default:
      return errorAnswer(apiErrors.internal());
  }
}

function send(res: ServerResponse, answer: Answer, headers: Readonly<Record<string, string>>): void {
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(answer.body),
    ...headers,
    ...answer.headers,
  });
  res.end(answer.body);
}

/** Waits `ms`; false when the connection closed meanwhile (client gone, server stopping). */
function pause(ms: number, req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = req.socket;
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(true);
    }, ms);
    socket.once('close', onClose);
  });
}

/** An unexpected failure, on stderr like the other stand-ins (the message only: no request data). */
function logFailure(error: unknown): void {
  process.stderr.write(
    `${JSON.stringify({ level: 'error', service: 'fcplat-sandbox', component: 'api-particulier', msg: 'request failed', error: error instanceof Error ? error.message : String(error) })}\n`,
  );
}

function gone(req: IncomingMessage, res: ServerResponse): boolean {
  return res.destroyed || req.socket.destroyed;
}

/**
 * Stand-in for API Particulier v3 (https://particulier.api.gouv.fr): the quotient familial, the
 * student status, the student grant status (also `/v4`) and the C2S routes, by pivot identity,
 * INE or FranceConnect, answering staging's case files; API Particulier tokens (HS256 JWTs signed
 * with a public sandbox key), FranceConnect tokens checked through the sandbox FranceConnect's
 * `/checktoken`; `recipient` and parameter checks, rate limits, and sandbox-only administration
 * (tokens, faults, limits, journal). See api-particulier/README.md.
 */
export function apiParticulierService(options: ApiParticulierSandboxOptions = {}): ApiParticulierSandbox {
  const meta = { id: 'api-particulier', label: 'API Particulier v3 (bac à sable)' } as const;
  const clock = options.clock ?? Date.now;
  const adminToken = options.adminToken ?? (process.env.SANDBOX_API_PARTICULIER_ADMIN_TOKEN || undefined);
  const fromEnv = envLimits();
  const limiter = new RateLimiter({
    perTokenPerSecond: options.perTokenPerSecond ?? fromEnv.perTokenPerSecond ?? DEFAULT_LIMITS.perTokenPerSecond,
    perIpPerMinute: options.perIpPerMinute ?? fromEnv.perIpPerMinute ?? DEFAULT_LIMITS.perIpPerMinute,
  });
  const journal = new RequestJournal(options.journalSize ?? DEFAULT_JOURNAL_SIZE);
  const faults = new FaultInjector();
  const { folders, stagingTokens } = caseData();
  const issuerOption = options.franceConnectIssuer;
  const franceConnect = new FranceConnectTokenResolver({
    issuer: typeof issuerOption === 'function' ? issuerOption : () => issuerOption,
    dataProvider: options.dataProvider ?? SANDBOX_API_PARTICULIER_DATA_PROVIDER,
    stagingTokens: options.acceptStagingFranceConnectTokens === false ? new Map() : stagingTokens,
    timeoutMs: options.franceConnectTimeoutMs ?? 5_000,
  });

  const revoked = new Set<string>();
  const revokeToken = (jti: string): void => {
    revoked.delete(jti);
    revoked.add(jti);
    if (revoked.size > MAX_REVOKED) {
      const oldest = revoked.values().next().value;
      if (oldest !== undefined) revoked.delete(oldest);
    }
  };
  const context = { folders, franceConnect, isRevoked: (jti: string) => revoked.has(jti) };
  const adminContext = { adminToken, faults, limiter, journal, revoke: revokeToken, clock };

  const serveApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = clock();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const route = findRoute(path);
    const ip = req.socket.remoteAddress ?? 'unknown';
    const bearer = bearerOf(req);
    const bearerDigest = bearer === null ? null : createHash('sha256').update(bearer).digest('hex');
    const verdict = limiter.check(ip, bearerDigest, at);
    const limitHeaders = verdict.allowed
      ? rateLimitHeaders(verdict.ip)
      : { ...rateLimitHeaders(verdict.window), 'Retry-After': String(verdict.retryAfterSeconds) };
    if (!route) {
      send(res, errorAnswer(verdict.allowed ? apiErrors.unknownRoute(req.method ?? 'GET', path) : apiErrors.tooManyRequests()), limitHeaders);
      return;
    }

    const recipient = url.searchParams.get('recipient');
    const credential = await identifyCaller(route, bearer, bearerDigest, at);
    let fault: FaultKind | null = null;
    const record = (status: number | null, code: string | null): void => {
      const entry: JournalEntry = {
        at,
        ip,
        route: path,
        modality: route.modality,
        recipient: recipient !== null && RECIPIENT_FOR_JOURNAL.test(recipient) ? recipient : null,
        tokenId: credential.tokenId,
        requestId: requestIdOf(req),
        status,
        code,
        fault,
      };
      journal.record(entry);
    };
    const answer = (result: Answer): void => {
      if (gone(req, res)) {
        record(null, null);
        return;
      }
      send(res, result, limitHeaders);
      record(result.status, result.code);
    };

    if (!verdict.allowed) return answer(errorAnswer(apiErrors.tooManyRequests()));
    if (req.method !== 'GET') return answer(errorAnswer(apiErrors.methodNotAllowed(req.method ?? '')));

    const spec = faults.take(path, recipient);
    if (spec) {
      fault = spec.kind;
      switch (spec.kind) {
        case 'status':
          return answer(faultAnswer(spec, route.api));
        case 'timeout':
          // No answer, ever: the socket stays open until the client gives up or the server stops.
          record(null, null);
          return;
        case 'reset':
          record(null, null);
          req.socket.resetAndDestroy();
          return;
        case 'latency':
          if (!(await pause(spec.latencyMs ?? 0, req))) {
            record(null, null);
            return;
          }
          break;
        case 'data':
          break;
      }
    }
    let result: Answer;
    try {
      result = await answerDataRoute(route, url.searchParams, credential, context, at);
      if (spec?.kind === 'data' && spec.data && result.status === 200) result = withData(result, spec.data);
    } catch (error) {
      logFailure(error);
      result = errorAnswer(apiErrors.internal());
    }
    answer(result);
  };

  const base = baseHandler(meta, undefined, 'https://particulier.api.gouv.fr/v3');
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/health' || path === '/')) return base(req, res);
    try {
      if (await handleAdmin(req, res, adminContext)) return;
      await serveApi(req, res);
    } catch (error) {
      logFailure(error);
      if (res.headersSent) res.destroy();
      else if (!gone(req, res)) send(res, errorAnswer(apiErrors.internal()), {});
    }
  };

  return { ...meta, journal: journal.list, limiter, faults, revokeToken, handler };
}

/** A `data` fault: the 200's `data` block with some top-level keys replaced (schema drift). */
function withData(result: Answer, replacement: Readonly<Record<string, unknown>>): Answer {
  const body = JSON.parse(result.body) as { data?: Record<string, unknown> };
  return { ...result, body: JSON.stringify({ ...body, data: { ...(body.data ?? {}), ...replacement } }) };
}
