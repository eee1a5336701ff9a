/**
 * Typed errors of outbound HTTP calls, each with a stable `code` and a `retryable` flag.
 *
 * Messages and the `target` property name the method, origin and path of the call only: never the
 * query string (it may carry identifiers), never a header (Authorization, cookies, API keys), never
 * a request or response body. They are safe to log (SR-23).
 */

export type OutboundErrorCode =
  | 'OUTBOUND_TIMEOUT'
  | 'OUTBOUND_RESPONSE_TOO_LARGE'
  | 'OUTBOUND_NETWORK_ERROR'
  | 'OUTBOUND_TLS_ERROR'
  | 'OUTBOUND_REDIRECT'
  | 'OUTBOUND_ABORTED'
  | 'OUTBOUND_INVALID_REQUEST'
  | 'OUTBOUND_INVALID_JSON'
  | 'OUTBOUND_HTTP_STATUS'
  | 'OUTBOUND_RATE_LIMIT_QUEUE_FULL';

interface OutboundErrorInit {
  readonly target?: string | undefined;
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** Base class of every error thrown by this library. */
export class OutboundHttpError extends Error {
  readonly code: OutboundErrorCode;
  /** Whether the same call may succeed later (timeouts, resets, 5xx, 429). */
  readonly retryable: boolean;
  /** `METHOD https://host/path` of the failed call (no query, no headers), when known. */
  readonly target: string | undefined;

  constructor(code: OutboundErrorCode, message: string, init: OutboundErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = init.retryable;
    this.target = init.target;
  }
}

export function isOutboundHttpError(value: unknown): value is OutboundHttpError {
  return value instanceof OutboundHttpError;
}

export type TimeoutPhase = 'connect' | 'total';

/** The connection (TCP + TLS handshake) or the whole exchange took too long; the socket was destroyed. */
export class OutboundTimeoutError extends OutboundHttpError {
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(target: string, phase: TimeoutPhase, timeoutMs: number) {
    const what = phase === 'connect' ? 'la connexion' : 'la réponse';
    super('OUTBOUND_TIMEOUT', `Délai dépassé pour ${what} (${timeoutMs} ms) : ${target}`, { target, retryable: true });
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

/** The response announced or sent more than `maxResponseBytes`; reading stopped and the socket was destroyed. */
export class OutboundResponseTooLargeError extends OutboundHttpError {
  readonly maxBytes: number;
  /** Bytes announced by Content-Length, or received when the limit was crossed. */
  readonly observedBytes: number;

  constructor(target: string, maxBytes: number, observedBytes: number) {
    super('OUTBOUND_RESPONSE_TOO_LARGE', `Réponse trop volumineuse (plus de ${maxBytes} octets) : ${target}`, {
      target,
      retryable: false,
    });
    this.maxBytes = maxBytes;
    this.observedBytes = observedBytes;
  }
}

/** DNS failure, refused or reset connection, response cut short... */
export class OutboundNetworkError extends OutboundHttpError {
  /** Node's error code (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`...), when there is one. */
  readonly systemCode: string | undefined;

  constructor(target: string, systemCode: string | undefined, cause?: unknown) {
    super('OUTBOUND_NETWORK_ERROR', `Erreur réseau${systemCode ? ` (${systemCode})` : ''} : ${target}`, {
      target,
      retryable: true,
      cause,
    });
    this.systemCode = systemCode;
  }
}

/** TLS handshake or certificate verification failed (untrusted or expired certificate, TLS < 1.2...). */
export class OutboundTlsError extends OutboundHttpError {
  readonly systemCode: string | undefined;

  constructor(target: string, systemCode: string | undefined, cause?: unknown) {
    super('OUTBOUND_TLS_ERROR', `Échec de la négociation TLS${systemCode ? ` (${systemCode})` : ''} : ${target}`, {
      target,
      retryable: false,
      cause,
    });
    this.systemCode = systemCode;
  }
}

/** The server answered with a redirect, which outbound calls never follow (SR-07). */
export class OutboundRedirectError extends OutboundHttpError {
  readonly status: number;
  /** Origin (scheme + host + port) of the Location header, never its path or query. */
  readonly locationOrigin: string | undefined;

  constructor(target: string, status: number, locationOrigin: string | undefined) {
    super(
      'OUTBOUND_REDIRECT',
      `Redirection ${status}${locationOrigin ? ` vers ${locationOrigin}` : ''} refusée : ${target}`,
      { target, retryable: false },
    );
    this.status = status;
    this.locationOrigin = locationOrigin;
  }
}

/** The caller's AbortSignal fired (request, rate-limiter wait or retry pause). */
export class OutboundAbortedError extends OutboundHttpError {
  constructor(target?: string) {
    super('OUTBOUND_ABORTED', `Appel sortant annulé${target ? ` : ${target}` : ''}`, { target, retryable: false });
  }
}

/** The request itself is malformed (unsupported scheme, bad timeout value...): a programming error. */
export class OutboundInvalidRequestError extends OutboundHttpError {
  constructor(message: string) {
    super('OUTBOUND_INVALID_REQUEST', message, { retryable: false });
  }
}

/** `response.json()` on a body that is not JSON. */
export class OutboundInvalidJsonError extends OutboundHttpError {
  constructor(target: string, cause?: unknown) {
    super('OUTBOUND_INVALID_JSON', `Réponse JSON illisible : ${target}`, { target, retryable: false, cause });
  }
}

/** Statuses worth another attempt later: throttling and server-side trouble. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * A non-2xx answer turned into an error by the caller (see `assertOk` / `statusErrorOf`),
 * so that {@link retry} can tell 429/5xx (retryable) from 4xx (final) and honour `Retry-After`.
 */
export class OutboundHttpStatusError extends OutboundHttpError {
  readonly status: number;
  /** Delay asked by `Retry-After` (seconds or HTTP-date), in ms, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  /** 429: the upstream throttles us; waiting must not consume an attempt (SR-33). */
  readonly rateLimited: boolean;

  constructor(target: string, status: number, retryAfterMs?: number) {
    super('OUTBOUND_HTTP_STATUS', `Réponse HTTP ${status} : ${target}`, { target, retryable: isRetryableStatus(status) });
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.rateLimited = status === 429;
  }
}

/** The rate limiter's wait queue is full: the caller should shed load rather than pile up. */
export class OutboundRateLimitQueueFullError extends OutboundHttpError {
  readonly maxQueue: number;

  constructor(maxQueue: number) {
    super('OUTBOUND_RATE_LIMIT_QUEUE_FULL', `File d’attente du limiteur de débit pleine (${maxQueue})`, {
      retryable: true,
    });
    this.maxQueue = maxQueue;
  }
}
