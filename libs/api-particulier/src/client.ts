/**
 * The API Particulier v3 client: one call = one HTTP exchange, no retry and no queue here (the
 * queue decides, from the typed error's `disposition`). Guarantees:
 * - `recipient` is always sent and must be a valid SIRET (the tenant's, never the editor's);
 * - the bearer is the tenant's API Particulier token, or for the FranceConnect modality the
 *   citizen's FranceConnect access token; it only ever travels in the Authorization header;
 * - timeouts (5 s by default, as API Particulier recommends), no redirects, bounded body, TLS >= 1.2
 *   (libs/outbound-http);
 * - `RateLimit-*` and `Retry-After` read on every answer, success or error;
 * - the 200 body is validated before anyone reads it: strictly for what the product reads (else
 *   `APIP_INVALID_RESPONSE`), tolerantly for the rest (a drift from the documented shape is
 *   reported in `schemaDrift`, the result is kept: the upstream has answered and counted the call).
 */
import http from 'node:http';
import https from 'node:https';
import { apiParticulierRoute, isValidSiret, type ApiParticulierApi, type CallModality } from '@fcplat/domain';
import { isOutboundHttpError, OutboundTimeoutError, request, type OutboundResponse } from '@fcplat/outbound-http';
import { ApiParticulierError, classifyStatus } from './errors.js';
import { pivotIdentityQuery, type PivotIdentity } from './identity.js';
import { readRateLimit, waitAfter429, type RateLimitInfo } from './rate-limit-headers.js';
import { describeDrift, REQUIRED_SCHEMAS, type RequiredData } from './responses.js';

/** Public hosts (docs/domain.md §2.1); the sandbox and `custom` URLs come from configuration. */
export const API_PARTICULIER_HOSTS = {
  staging: 'https://staging.particulier.api.gouv.fr',
  production: 'https://particulier.api.gouv.fr',
} as const;

/** API Particulier's advice: give up after 5 s (docs/domain.md §2.6). */
export const DEFAULT_TIMEOUT_MS = 5_000;

export type CallSubject =
  | { readonly modality: 'pivot_identity'; readonly identity: PivotIdentity }
  | { readonly modality: 'ine'; readonly ine: string }
  | { readonly modality: 'france_connect'; readonly franceConnectAccessToken: string };

export interface ApiParticulierRequest<A extends ApiParticulierApi = ApiParticulierApi> {
  readonly api: A;
  readonly subject: CallSubject;
  /** SIRET of the public body that uses the data (the tenant). */
  readonly recipient: string;
  /** The tenant's API Particulier token; not used with the FranceConnect modality. */
  readonly token?: string | undefined;
  /** Quotient familial only: a past month (CAF keeps 24 months). */
  readonly period?: { readonly annee: number; readonly mois: number } | undefined;
  /** Sent as `X-Request-Id`, so both sides' logs can be matched (carries no personal data). */
  readonly requestId?: string | undefined;
  /** `Cache-Control: no-cache`: bypass API Particulier's 24 h cache. */
  readonly noCache?: boolean | undefined;
}

export interface ApiParticulierSuccess<A extends ApiParticulierApi = ApiParticulierApi> {
  readonly api: A;
  readonly modality: CallModality;
  readonly status: number;
  readonly data: RequiredData[A];
  /** How the answer departs from the documented shape outside what the product reads, or null. */
  readonly schemaDrift: string | null;
  readonly rateLimit: RateLimitInfo | null;
  /** `X-Response-Cached: true`: served from API Particulier's cache. */
  readonly cached: boolean;
  readonly latencyMs: number;
}

export interface ApiParticulierClientOptions {
  /** `https://particulier.api.gouv.fr`, the staging host, the sandbox's URL or a custom one. */
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /**
   * Connections kept to the host at most (default 32). At least the calls made at once: a call
   * beyond it would wait for a socket, inside its timeout, after it was counted as gone.
   */
  readonly maxSockets?: number;
  /** Extra CA (tests with a private PKI). */
  readonly ca?: string | Buffer;
}

const MAX_RESPONSE_BYTES = 512 * 1024;

export interface ApiParticulierCallOptions {
  /** Awaited on the open connection before the request is written (see `request()` of @fcplat/outbound-http). */
  readonly beforeSend?: (abandoned: AbortSignal) => Promise<void>;
}

export class ApiParticulierClient {
  private readonly baseUrl: URL;
  private readonly agent: http.Agent;

  constructor(private readonly options: ApiParticulierClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new TypeError('API Particulier base URL is not a URL');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('API Particulier base URL must be http(s)');
    this.baseUrl = base;
    // Keep-alive: a queue worker makes many calls to the same host.
    const maxSockets = options.maxSockets ?? 32;
    this.agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets, minVersion: 'TLSv1.2' }) : new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Builds the URL of a call (exported for tests and for the call log's `route`). */
  url(call: ApiParticulierRequest): URL {
    const route = apiParticulierRoute(call.api, call.subject.modality);
    if (route === null) throw new TypeError(`API ${call.api} has no ${call.subject.modality} modality`);
    const url = new URL(route.replace(/^\//, ''), this.baseUrl.href.endsWith('/') ? this.baseUrl : new URL(`${this.baseUrl.href}/`));
    url.searchParams.set('recipient', call.recipient);
    if (call.subject.modality === 'pivot_identity') {
      for (const [name, value] of pivotIdentityQuery(call.subject.identity)) url.searchParams.append(name, value);
    } else if (call.subject.modality === 'ine') {
      url.searchParams.set('ine', call.subject.ine);
    }
    if (call.period && call.api === 'quotient_familial') {
      url.searchParams.set('annee', String(call.period.annee));
      url.searchParams.set('mois', String(call.period.mois));
    }
    return url;
  }

  /**
   * One call. `options.beforeSend` is awaited on the request's open connection, right before it is
   * written (`request()`'s hook: where a caller re-checks a rate-limit count the connection's set-up
   * may have made stale); its rejection comes back unchanged, nothing sent.
   */
  async call<A extends ApiParticulierApi>(call: ApiParticulierRequest<A>, options: ApiParticulierCallOptions = {}): Promise<ApiParticulierSuccess<A>> {
    if (!isValidSiret(call.recipient)) throw new TypeError('recipient must be the SIRET of the public body (14 digits, valid key)');
    const bearer = call.subject.modality === 'france_connect' ? call.subject.franceConnectAccessToken : call.token;
    if (!bearer) throw new TypeError('an API Particulier token is required for this modality');
    const modality = call.subject.modality;
    const started = performance.now();
    const beforeSend = options.beforeSend;
    const refusals: unknown[] = [];
    let response: OutboundResponse;
    try {
      response = await request({
        ...(beforeSend
          ? {
              beforeSend: (abandoned: AbortSignal) =>
                beforeSend(abandoned).catch((error: unknown) => {
                  refusals.push(error);
                  throw error;
                }),
            }
          : {}),
        url: this.url(call),
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${bearer}`,
          'x-request-id': call.requestId,
          'cache-control': call.noCache ? 'no-cache' : undefined,
        },
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 2_000,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        agent: this.agent,
        ...(this.options.ca ? { ca: this.options.ca } : {}),
      });
    } catch (error) {
      // The caller's own refusal (nothing was sent): not the upstream's failure.
      if (refusals.includes(error)) throw error;
      const latencyMs = Math.round(performance.now() - started);
      if (error instanceof OutboundTimeoutError) throw new ApiParticulierError('APIP_TIMEOUT', 'retryable', { status: null, latencyMs, cause: error });
      if (isOutboundHttpError(error) && error.code === 'OUTBOUND_RESPONSE_TOO_LARGE') {
        throw new ApiParticulierError('APIP_INVALID_RESPONSE', 'final', { status: null, latencyMs, cause: error });
      }
      throw new ApiParticulierError('APIP_NETWORK_ERROR', 'retryable', { status: null, latencyMs, cause: error });
    }
    const latencyMs = Math.round(response.durationMs);
    const header = (name: string): string | undefined => response.header(name);
    const rateLimit = readRateLimit(header);
    if (response.status === 200) {
      let body: unknown;
      try {
        body = response.json();
      } catch (error) {
        throw new ApiParticulierError('APIP_INVALID_RESPONSE', 'final', { status: 200, rateLimit, latencyMs, cause: error });
      }
      const raw = (body as { data?: unknown } | null)?.data;
      const parsed = REQUIRED_SCHEMAS[call.api].safeParse(raw);
      if (!parsed.success) {
        throw new ApiParticulierError('APIP_INVALID_RESPONSE', 'final', { status: 200, rateLimit, latencyMs });
      }
      return {
        api: call.api,
        modality,
        status: 200,
        data: parsed.data as RequiredData[A],
        schemaDrift: describeDrift(call.api, raw),
        rateLimit,
        cached: header('x-response-cached') === 'true',
        latencyMs,
      };
    }
    const upstream = firstError(response);
    const [code, disposition] = classifyStatus(response.status, upstream.code, modality);
    throw new ApiParticulierError(code, disposition, {
      status: response.status,
      upstreamCode: upstream.code,
      upstreamTitle: upstream.title,
      provider: upstream.provider,
      retryAfterMs: response.status === 429 || response.status === 503 ? waitAfter429(header, rateLimit) : null,
      rateLimit,
      latencyMs,
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface UpstreamError {
  readonly code: string | null;
  readonly title: string | null;
  readonly provider: string | null;
}

/** The first entry of `{"errors":[{code,title,detail,source,meta}]}`, if the body has one. */
function firstError(response: OutboundResponse): UpstreamError {
  try {
    const body = response.json() as { errors?: { code?: unknown; title?: unknown; meta?: { provider?: unknown } }[] };
    const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
    const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);
    return {
      code: typeof first?.code === 'string' && /^\d{5}$/.test(first.code) ? first.code : null,
      title: str(first?.title, 200),
      provider: str(first?.meta?.provider, 50),
    };
  } catch {
    return { code: null, title: null, provider: null };
  }
}
