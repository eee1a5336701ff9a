/**
 * One HTTP(S) exchange under SR-07:
 * - a connect timeout (DNS + TCP + TLS handshake) and a total timeout (until the last body byte),
 *   both of which destroy the socket when they fire;
 * - redirects are never followed: a 3xx rejects with {@link OutboundRedirectError} (default) or is
 *   returned as is with `redirect: 'manual'`;
 * - the body is bounded: a Content-Length above `maxResponseBytes` is refused before reading, a body
 *   that grows past it is cut and the socket destroyed;
 * - TLS is always verified, with `minVersion: 'TLSv1.2'`; a custom CA may be added (tests), the
 *   verification itself cannot be turned off;
 * - `beforeSend`, when given, is awaited between the connection's opening and the request's
 *   first byte (a rate-limit count taken as close as possible to the departure).
 *
 * Non-2xx statuses resolve normally (`ok: false`); use {@link assertOk} to turn them into
 * {@link OutboundHttpStatusError}s for {@link retry}.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  OutboundAbortedError,
  OutboundHttpError,
  OutboundHttpStatusError,
  OutboundInvalidJsonError,
  OutboundInvalidRequestError,
  OutboundNetworkError,
  OutboundRedirectError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
  OutboundTlsError,
} from './errors.js';
import { parseRetryAfter } from './retry-after.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** The only TLS floor this library knows (FranceConnect qualification #18, SR-07). */
export const TLS_MIN_VERSION = 'TLSv1.2';

export type RedirectPolicy = 'error' | 'manual';
export type HeaderValue = string | number | readonly string[];

export interface OutboundRequestOptions {
  readonly method?: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, HeaderValue | undefined>>;
  readonly body?: string | Uint8Array;
  /** Total budget, from the call until the last byte of the body. Default 10 s. */
  readonly timeoutMs?: number;
  /** Budget for DNS + TCP connect + TLS handshake. Default 3 s. */
  readonly connectTimeoutMs?: number;
  /** Largest accepted body. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
  /** `error` (default): a 3xx rejects with OutboundRedirectError; `manual`: it is returned as is. */
  readonly redirect?: RedirectPolicy;
  /** Extra trusted CA certificate(s), PEM, added for this call only (tests, private PKI). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Connection pooling: an http(s).Agent, or `false` (default) for one fresh connection per call. */
  readonly agent?: http.Agent | false;
  /**
   * Awaited once the connection is open (TCP, and TLS for https; at once on a pooled socket),
   * before any byte of the request is written: where a call is counted against a rate limit that
   * the upstream counts on arrival, so that neither the connection's set-up nor a busy event loop
   * comes between the count and the request leaving. The request is written as soon as it resolves,
   * nothing else awaited in between. A rejection fails the call with that very error, nothing sent.
   * The total timeout and the signal keep running while it is awaited; its own signal fires when
   * the call ends before sending (timeout, abort, the connection lost), so that it stops counting.
   */
  readonly beforeSend?: (abandoned: AbortSignal) => Promise<void>;
}

export interface OutboundResponse {
  readonly status: number;
  /** 2xx. */
  readonly ok: boolean;
  /** Header names in lower case, as Node parses them. */
  readonly headers: Readonly<IncomingHttpHeaders>;
  readonly body: Buffer;
  /** `METHOD https://host/path` (no query): safe to log. */
  readonly target: string;
  readonly durationMs: number;
  /** First value of a header, `undefined` when absent. */
  header(name: string): string | undefined;
  /** Body decoded as UTF-8. */
  text(): string;
  /** Body parsed as JSON; throws {@link OutboundInvalidJsonError} otherwise. The result is untrusted input. */
  json(): unknown;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const METHOD = /^[A-Z]{1,16}$/;
/** OpenSSL certificate verification results surfaced by Node as `error.code`. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** `METHOD scheme://host:port/path`: what errors and logs may show of a call. */
export function describeTarget(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new OutboundInvalidRequestError(`${name} doit être un entier strictement positif`);
  }
  return value;
}

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = input instanceof URL ? new URL(input.href) : new URL(input);
  } catch {
    throw new OutboundInvalidRequestError('URL d’appel sortant invalide');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OutboundInvalidRequestError(`Schéma non pris en charge pour un appel sortant : ${url.protocol}`);
  }
  if (url.username || url.password) {
    // Credentials in URLs end up in logs and proxies; pass them as headers instead.
    throw new OutboundInvalidRequestError('Les identifiants ne doivent pas figurer dans l’URL d’un appel sortant');
  }
  return url;
}

function buildHeaders(
  input: OutboundRequestOptions['headers'],
  body: Buffer | undefined,
): Record<string, string | number | string[]> {
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? [...(value as readonly string[])] : (value as string | number);
  }
  if (body !== undefined) headers['content-length'] = body.length;
  return headers;
}

function systemCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTlsFailure(error: unknown): boolean {
  const code = systemCodeOf(error);
  if (code !== undefined && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || CERTIFICATE_CODES.has(code))) {
    return true;
  }
  const library = (error as { library?: unknown } | null)?.library;
  return typeof library === 'string' && library.toLowerCase().includes('ssl');
}

/** Maps a low-level error to the library's taxonomy. Our own errors pass through untouched. */
function classify(error: unknown, target: string, isHttps: boolean): OutboundHttpError {
  if (error instanceof OutboundHttpError) return error;
  const code = systemCodeOf(error);
  if (isHttps && isTlsFailure(error)) return new OutboundTlsError(target, code, error);
  return new OutboundNetworkError(target, code, error);
}

function locationOriginOf(location: string | undefined, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0];
  return value;
}

/** Performs one outbound HTTP(S) request. See the module documentation for the guarantees. */
export function request(options: OutboundRequestOptions): Promise<OutboundResponse> {
  let url: URL;
  let timeoutMs: number;
  let connectTimeoutMs: number;
  let maxResponseBytes: number;
  const method = (options.method ?? 'GET').toUpperCase();
  try {
    url = parseUrl(options.url);
    timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    connectTimeoutMs = positiveInteger('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
    maxResponseBytes = positiveInteger('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
    if (!METHOD.test(method)) throw new OutboundInvalidRequestError('Méthode HTTP invalide');
  } catch (error) {
    return Promise.reject(error);
  }
  const target = describeTarget(method, url);
  const isHttps = url.protocol === 'https:';
  const redirect: RedirectPolicy = options.redirect ?? 'error';
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new OutboundAbortedError(target));
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;

  return new Promise<OutboundResponse>((resolve, reject) => {
    const startedAt = performance.now();
    let settled = false;
    const timers: { connect?: NodeJS.Timeout | undefined; total?: NodeJS.Timeout | undefined } = {};
    let req: http.ClientRequest | undefined;
    let response: IncomingMessage | undefined;

    const abandoned = new AbortController();
    const cleanup = (): void => {
      abandoned.abort();
      clearTimeout(timers.total);
      clearTimeout(timers.connect);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      // Destroying the request destroys its socket: nothing keeps reading, nothing is reused.
      response?.destroy();
      req?.destroy();
      reject(classify(error, target, isHttps));
    };
    const succeed = (value: OutboundResponse): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(value);
    };
    const onAbort = (): void => fail(new OutboundAbortedError(target));
    /** Writes the request: at once, or once the connection is open and `beforeSend` resolved. */
    const send = (): void => {
      if (settled || req === undefined) return;
      if (body !== undefined) req.write(body);
      req.end();
    };
    const sendWhenReady = (beforeSend: (abandoned: AbortSignal) => Promise<void>): void => {
      if (settled) return;
      beforeSend(abandoned.signal).then(send, (error: unknown) => {
        if (settled) return;
        // The caller's own error (a refused count, an abort), not a network failure: kept as is.
        settled = true;
        cleanup();
        req?.destroy();
        reject(error);
      });
    };

    const requestOptions: https.RequestOptions = {
      method,
      protocol: url.protocol,
      hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: buildHeaders(options.headers, body),
      agent: options.agent ?? false,
    };
    if (isHttps) {
      requestOptions.minVersion = TLS_MIN_VERSION;
      requestOptions.rejectUnauthorized = true;
      if (options.ca !== undefined) requestOptions.ca = Array.isArray(options.ca) ? [...options.ca] : (options.ca as string | Buffer);
      if (isIP(hostname) === 0) requestOptions.servername = hostname;
    }

    try {
      req = isHttps ? https.request(requestOptions) : http.request(requestOptions);
    } catch (error) {
      // Node validates header names and values synchronously; its message names the header, never its value.
      settled = true;
      reject(new OutboundInvalidRequestError(`Requête sortante invalide (${systemCodeOf(error) ?? 'ERR_INVALID_REQUEST'}) : ${target}`));
      return;
    }
    timers.total = setTimeout(() => fail(new OutboundTimeoutError(target, 'total', timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error) => fail(error));
    const beforeSend = options.beforeSend;
    req.once('socket', (socket: Socket) => {
      // A pooled socket is already connected: only a fresh connection gets a connect budget.
      if (!socket.connecting) {
        if (beforeSend) sendWhenReady(beforeSend);
        return;
      }
      timers.connect = setTimeout(() => fail(new OutboundTimeoutError(target, 'connect', connectTimeoutMs)), connectTimeoutMs);
      socket.once(isHttps ? 'secureConnect' : 'connect', () => {
        clearTimeout(timers.connect);
        timers.connect = undefined;
        if (beforeSend) sendWhenReady(beforeSend);
      });
    });

    req.on('response', (incoming: IncomingMessage) => {
      response = incoming;
      incoming.on('error', (error) => fail(error));
      const status = incoming.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && redirect === 'error') {
        fail(new OutboundRedirectError(target, status, locationOriginOf(firstHeader(incoming.headers, 'location'), url)));
        return;
      }
      const declared = Number(firstHeader(incoming.headers, 'content-length'));
      if (Number.isFinite(declared) && declared > maxResponseBytes) {
        fail(new OutboundResponseTooLargeError(target, maxResponseBytes, declared));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      incoming.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > maxResponseBytes) {
          fail(new OutboundResponseTooLargeError(target, maxResponseBytes, received));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => {
        const payload = Buffer.concat(chunks, received);
        const headers = incoming.headers;
        succeed({
          status,
          ok: status >= 200 && status < 300,
          headers,
          body: payload,
          target,
          durationMs: Math.round(performance.now() - startedAt),
          header: (name) => firstHeader(headers, name),
          text: () => payload.toString('utf8'),
          json: () => {
            try {
              return JSON.parse(payload.toString('utf8')) as unknown;
            } catch (error) {
              throw new OutboundInvalidJsonError(target, error);
            }
          },
        });
      });
      incoming.on('close', () => {
        if (!incoming.complete) fail(new OutboundNetworkError(target, 'ECONNRESET'));
      });
    });

    if (!beforeSend) send();
  });
}

/** Turns a non-2xx response into an {@link OutboundHttpStatusError} (with its Retry-After), or `undefined`. */
export function statusErrorOf(response: OutboundResponse, now: number = Date.now()): OutboundHttpStatusError | undefined {
  if (response.ok) return undefined;
  return new OutboundHttpStatusError(response.target, response.status, parseRetryAfter(response.headers['retry-after'], now));
}

/** Returns the response when it is 2xx, throws its {@link OutboundHttpStatusError} otherwise. */
export function assertOk(response: OutboundResponse): OutboundResponse {
  const error = statusErrorOf(response);
  if (error) throw error;
  return response;
}
