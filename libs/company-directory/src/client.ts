/**
 * Client of the recherche-entreprises API (https://recherche-entreprises.api.gouv.fr, no key).
 *
 * - The SIRET is validated locally first (@fcplat/domain): a malformed one is a VALIDATION_FAILED
 *   error and no request leaves the process.
 * - Every call goes through @fcplat/outbound-http: connect and total timeouts, bounded answer, TLS
 *   >= 1.2, no redirect (SR-07).
 * - One RateLimiter per client instance keeps under the upstream's 7 requests/second per IP,
 *   with a margin for network jitter; share one client per process (SR-34). Several processes on
 *   one egress IP (API replicas) also give a {@link SharedLimit}: counted across them, asked after
 *   the process's own limiter on the open connection (the request written as soon as it is
 *   granted: the upstream counts arrivals), paused for all of them by a 429.
 * - 429: every caller of the client pauses for Retry-After, and the call is retried without
 *   consuming an attempt; 5xx and timeouts: exponential backoff with jitter; other 4xx: final (SR-33).
 * - A descriptive User-Agent is sent, as the API asks.
 *
 * Absence is not non-existence: units that refused publication ("non diffusibles") are not in the
 * directory, so `lookupSiret` returning `null` means "not found in the public directory", never
 * "this SIRET does not exist".
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type AppErrorOptions } from '@fcplat/common';
import { assertSiret } from '@fcplat/domain';
import {
  OutboundAbortedError,
  OutboundHttpError,
  OutboundHttpStatusError,
  OutboundInvalidRequestError,
  RateLimiter,
  request,
  retry,
  statusErrorOf,
  type RetryEvent,
} from '@fcplat/outbound-http';
import { findEstablishment, toCompanyLookup, type CompanyLookup } from './lookup.js';
import { MalformedUpstreamResponseError, parseSearchResponse } from './upstream.js';

export const RECHERCHE_ENTREPRISES_URL = 'https://recherche-entreprises.api.gouv.fr';
export const DEFAULT_USER_AGENT =
  'fcplat-company-directory/0.1 (verification des SIRET des organismes publics; plateforme FranceConnect et API Particulier des editeurs)';
/** The upstream's published ceiling: 7 requests per second per IP. */
export const UPSTREAM_REQUESTS_PER_SECOND = 7;
const UPSTREAM = 'recherche-entreprises';
/** The upstream refuses shorter search terms (400). */
export const NAME_SEARCH_MIN_LENGTH = 3;
export const NAME_SEARCH_MAX_LENGTH = 100;

export type CompanyDirectoryEvent =
  | { readonly type: 'retry'; readonly reason: RetryEvent['reason']; readonly attempt: number; readonly delayMs: number; readonly code: string; readonly status?: number }
  | { readonly type: 'rate_limited'; readonly pauseMs: number };

export interface CompanyDirectoryOptions {
  /** Default https://recherche-entreprises.api.gouv.fr; the sandbox in tests and the demo. */
  readonly baseUrl?: string;
  /** Sent on every call; say who you are and how to reach you. */
  readonly userAgent?: string;
  /** Total budget of one HTTP attempt. Default 5 s. */
  readonly timeoutMs?: number;
  /** Connect + TLS handshake budget. Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** Largest accepted answer. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Default 7 permits per 1100 ms (7/s with a 100 ms jitter margin), 200 waiters at most. */
  readonly rateLimit?: { readonly limit?: number; readonly intervalMs?: number; readonly maxQueue?: number };
  readonly retry?: {
    readonly maxAttempts?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly maxRateLimitWaits?: number;
    readonly maxRetryAfterMs?: number;
  };
  /** Extra trusted CA (tests with a local HTTPS stand-in). */
  readonly ca?: string | Buffer;
  /** Observability hook (codes, statuses and delays only: nothing secret goes through it). */
  readonly onEvent?: (event: CompanyDirectoryEvent) => void;
  /** The upstream's limit counted across processes (several API replicas, one egress IP); none: this process only. */
  readonly sharedLimit?: SharedLimit;
}

/**
 * A rate limit counted by every process calling the upstream from the same IP: the per-process
 * limiter alone would give N replicas N times the upstream's ceiling.
 */
export interface SharedLimit {
  /**
   * Counts one request leaving now if the shared window allows it; else says how long to wait (a
   * pause included). Asked on the request's open connection, the request written as soon as it left.
   */
  tryDepart(): Promise<{ readonly left: true } | { readonly left: false; readonly retryInMs: number }>;
  /** No process calls for `ms` (the upstream answered 429). */
  pause(ms: number): Promise<void>;
}

export interface LookupOptions {
  readonly signal?: AbortSignal;
}

function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundInvalidRequestError('company-directory : baseUrl invalide');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new OutboundInvalidRequestError('company-directory : baseUrl doit être une URL http(s) sans identifiants ni paramètres');
  }
  return url.href.replace(/\/+$/, '');
}

function upstreamError(code: 'DEPENDENCY_UNAVAILABLE' | 'RATE_LIMITED', detail: string, reason: string, cause: unknown, status?: number): AppError {
  const options: AppErrorOptions = {
    detail,
    cause,
    extensions: { upstream: UPSTREAM, reason, ...(status === undefined ? {} : { upstreamStatus: status }) },
  };
  return new AppError(code, options);
}

/** Maps whatever ended the call to the platform's error catalogue. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MalformedUpstreamResponseError) {
    return upstreamError('DEPENDENCY_UNAVAILABLE', 'L’annuaire des entreprises a renvoyé une réponse inattendue.', 'malformed_response', error);
  }
  if (error instanceof OutboundHttpStatusError) {
    if (error.status === 429) {
      return upstreamError(
        'RATE_LIMITED',
        'L’annuaire des entreprises limite le nombre de requêtes : réessayez dans quelques instants.',
        'rate_limited',
        error,
        error.status,
      );
    }
    return upstreamError(
      'DEPENDENCY_UNAVAILABLE',
      `L’annuaire des entreprises a répondu par une erreur (HTTP ${error.status}).`,
      error.status >= 500 ? 'upstream_error' : 'upstream_rejected',
      error,
      error.status,
    );
  }
  if (error instanceof OutboundHttpError) {
    const reasons: Record<string, [string, string]> = {
      OUTBOUND_TIMEOUT: ['timeout', 'L’annuaire des entreprises n’a pas répondu à temps.'],
      OUTBOUND_NETWORK_ERROR: ['network', 'L’annuaire des entreprises est injoignable.'],
      OUTBOUND_TLS_ERROR: ['tls', 'La connexion sécurisée à l’annuaire des entreprises a échoué.'],
      OUTBOUND_RESPONSE_TOO_LARGE: ['too_large', 'L’annuaire des entreprises a renvoyé une réponse trop volumineuse.'],
      OUTBOUND_REDIRECT: ['redirect', 'L’annuaire des entreprises a tenté une redirection, refusée.'],
      OUTBOUND_INVALID_JSON: ['malformed_response', 'L’annuaire des entreprises a renvoyé une réponse illisible.'],
      OUTBOUND_RATE_LIMIT_QUEUE_FULL: ['local_queue_full', 'Trop de vérifications de SIRET en attente : réessayez dans quelques instants.'],
      OUTBOUND_ABORTED: ['aborted', 'La vérification du SIRET a été interrompue.'],
    };
    const [reason, detail] = reasons[error.code] ?? ['outbound_error', 'L’annuaire des entreprises est momentanément indisponible.'];
    return upstreamError(error.code === 'OUTBOUND_RATE_LIMIT_QUEUE_FULL' ? 'RATE_LIMITED' : 'DEPENDENCY_UNAVAILABLE', detail, reason, error);
  }
  return new AppError('INTERNAL_ERROR', { detail: 'Échec inattendu de la vérification du SIRET.', cause: error });
}

export class CompanyDirectoryClient {
  readonly baseUrl: string;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly limiter: RateLimiter;
  private readonly retryOptions: NonNullable<CompanyDirectoryOptions['retry']>;
  private readonly ca: string | Buffer | undefined;
  private readonly onEvent: ((event: CompanyDirectoryEvent) => void) | undefined;
  private readonly sharedLimit: SharedLimit | undefined;

  constructor(options: CompanyDirectoryOptions = {}) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl ?? RECHERCHE_ENTREPRISES_URL);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.limiter = new RateLimiter({
      limit: options.rateLimit?.limit ?? UPSTREAM_REQUESTS_PER_SECOND,
      intervalMs: options.rateLimit?.intervalMs ?? 1_100,
      maxQueue: options.rateLimit?.maxQueue ?? 200,
    });
    this.retryOptions = {
      maxAttempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 4_000,
      maxRateLimitWaits: 3,
      maxRetryAfterMs: 30_000,
      ...options.retry,
    };
    this.ca = options.ca;
    this.onEvent = options.onEvent;
    this.sharedLimit = options.sharedLimit;
  }

  /**
   * The establishment `siret` as the public directory describes it, or `null` when the directory
   * has no such establishment (which includes non-diffusible ones: absence ≠ non-existence).
   * Throws AppError VALIDATION_FAILED (bad SIRET, no call made), RATE_LIMITED or DEPENDENCY_UNAVAILABLE.
   */
  async lookupSiret(siret: string, options: LookupOptions = {}): Promise<CompanyLookup | null> {
    const valid = assertSiret(siret);
    const url = new URL(`${this.baseUrl}/search`);
    url.searchParams.set('q', valid);
    url.searchParams.set('page', '1');
    url.searchParams.set('per_page', '5');
    url.searchParams.set('minimal', 'true');
    url.searchParams.set('include', 'siege,matching_etablissements');
    try {
      const payload = await this.getJson(url, options.signal);
      const match = findEstablishment(parseSearchResponse(payload), valid);
      return match ? toCompanyLookup(match.unit, match.establishment) : null;
    } catch (error) {
      throw toAppError(error);
    }
  }

  /**
   * Establishments whose organisation matches the words `terms` (« mairie de clamart »), best
   * first as the directory ranks them, at most `limit` (≤ 25): for each organisation, its first
   * establishment matching the words, or else its head office. Same rate limiter, retries and
   * errors as {@link lookupSiret}; terms shorter than 3 characters are a VALIDATION_FAILED error
   * and no request leaves the process (the upstream refuses them).
   */
  async searchByName(terms: string, options: LookupOptions & { readonly limit?: number } = {}): Promise<CompanyLookup[]> {
    const q = terms.replace(/\s+/g, ' ').trim();
    if (q.length < NAME_SEARCH_MIN_LENGTH || q.length > NAME_SEARCH_MAX_LENGTH) {
      throw new AppError('VALIDATION_FAILED', {
        detail: `Saisissez de ${NAME_SEARCH_MIN_LENGTH} à ${NAME_SEARCH_MAX_LENGTH} caractères pour chercher un organisme par son nom.`,
        violations: [{ path: 'q', message: `${NAME_SEARCH_MIN_LENGTH} à ${NAME_SEARCH_MAX_LENGTH} caractères` }],
      });
    }
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 25);
    const url = new URL(`${this.baseUrl}/search`);
    url.searchParams.set('q', q);
    url.searchParams.set('page', '1');
    url.searchParams.set('per_page', String(limit));
    url.searchParams.set('minimal', 'true');
    url.searchParams.set('include', 'siege,matching_etablissements');
    try {
      const payload = await this.getJson(url, options.signal);
      return parseSearchResponse(payload)
        .units.flatMap((unit) => {
          const establishment = unit.matching[0] ?? unit.headOffice;
          return establishment ? [toCompanyLookup(unit, establishment)] : [];
        })
        .slice(0, limit);
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** Same as {@link lookupSiret}, but an absent SIRET is an AppError NOT_FOUND. */
  async requireSiret(siret: string, options: LookupOptions = {}): Promise<CompanyLookup> {
    const found = await this.lookupSiret(siret, options);
    if (found) return found;
    throw new AppError('NOT_FOUND', {
      detail:
        'Ce SIRET est introuvable dans l’annuaire des entreprises. Les établissements non diffusibles n’y figurent pas : ' +
        'vérifiez le numéro, ou joignez un avis de situation au répertoire Sirene.',
      extensions: { upstream: UPSTREAM, reason: 'not_found' },
    });
  }

  private async getJson(url: URL, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await retry(
      async () => {
        // This process's pacing first, then the connection, then the count every replica shares:
        // the upstream counts arrivals, so the shared count is taken on the open connection and the
        // request written as soon as it is granted (counted before connecting, a busy event loop
        // delayed some writes past the window's margin: 429s with three replicas under load).
        await this.limiter.acquire(signal);
        const shared = this.sharedLimit;
        const answer = await request({
          ...(shared ? { beforeSend: (abandoned: AbortSignal) => departShared(shared, signal ? AbortSignal.any([signal, abandoned]) : abandoned) } : {}),
          url,
          headers: { Accept: 'application/json', 'User-Agent': this.userAgent },
          timeoutMs: this.timeoutMs,
          connectTimeoutMs: this.connectTimeoutMs,
          maxResponseBytes: this.maxResponseBytes,
          ...(signal ? { signal } : {}),
          ...(this.ca === undefined ? {} : { ca: this.ca }),
        });
        const failure = statusErrorOf(answer);
        if (failure) {
          if (failure.rateLimited) {
            // Nobody using this client calls again before the upstream said so.
            const pauseMs = failure.retryAfterMs ?? 1_000;
            this.limiter.pauseFor(pauseMs);
            // For every process: a failure to record it leaves the upstream's next 429 to do it.
            await this.sharedLimit?.pause(pauseMs).catch(() => undefined);
            this.onEvent?.({ type: 'rate_limited', pauseMs });
          }
          throw failure;
        }
        return answer;
      },
      {
        ...this.retryOptions,
        ...(signal ? { signal } : {}),
        onRetry: (event) =>
          this.onEvent?.({
            type: 'retry',
            reason: event.reason,
            attempt: event.attempt,
            delayMs: event.delayMs,
            code: (event.error as { code?: string }).code ?? 'UNKNOWN',
            ...(event.error instanceof OutboundHttpStatusError ? { status: event.error.status } : {}),
          }),
      },
    );
    return response.json();
  }
}

/** Waits until the shared limit lets one request leave (or the signal fires: OutboundAbortedError). */
async function departShared(shared: SharedLimit, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new OutboundAbortedError(UPSTREAM);
    const departure = await shared.tryDepart();
    if (departure.left) return;
    try {
      await sleep(departure.retryInMs, undefined, signal ? { signal } : {});
    } catch {
      throw new OutboundAbortedError(UPSTREAM);
    }
  }
}

export function createCompanyDirectoryClient(options: CompanyDirectoryOptions = {}): CompanyDirectoryClient {
  return new CompanyDirectoryClient(options);
}
