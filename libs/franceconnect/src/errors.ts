/**
 * Every way a FranceConnect flow can stop, as typed errors with a stable `code`.
 *
 * - `message` (= `userMessage`) is French, meant for the citizen, and never holds a token, a
 *   secret or personal data: it is safe to show and to log;
 * - `reason` is a short technical cause in English (`signature`, `nonce`, `expired`, `used`...),
 *   for logs and tests, equally free of tokens and data;
 * - `logoutRecommended` says whether a FranceConnect session may exist at this point (SR-03,
 *   qualification #20): the caller should then send the browser to `logoutUrl(...)`;
 * - `idTokenHint` is the raw ID token when (and only when) it passed every check, so the logout
 *   needs no confirmation at FranceConnect; `null` otherwise. It is not enumerable, so loggers
 *   that serialise the error do not write it.
 *
 * A `cause` is only attached when it is free of tokens and personal data (network errors);
 * jose's claim errors, which carry the token's payload, never are.
 */
import { AppError, type ErrorCode } from '@fcplat/common';

export const FRANCECONNECT_ERROR_CODES = [
  'ACCESS_DENIED',
  'PROVIDER_ERROR',
  'CALLBACK_INVALID',
  'STATE_INVALID',
  'TOKEN_ENDPOINT_ERROR',
  'ID_TOKEN_INVALID',
  'USERINFO_INVALID',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_MISCONFIGURED',
  'CLIENT_UNAVAILABLE',
] as const;
export type FranceConnectErrorCode = (typeof FRANCECONNECT_ERROR_CODES)[number];

/** The French sentences the citizen sees. */
export const FRANCECONNECT_MESSAGES = {
  cancelled: 'La connexion avec FranceConnect a été annulée.',
  providerError: 'FranceConnect a signalé une erreur pendant la connexion. Veuillez réessayer.',
  notVerified: 'La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.',
  logoutNotVerified: 'La déconnexion de FranceConnect n’a pas pu être vérifiée. Vous êtes bien déconnecté de ce service.',
  notCompleted: 'La connexion avec FranceConnect n’a pas pu aboutir. Veuillez réessayer dans quelques instants.',
  unavailable: 'FranceConnect ne répond pas pour le moment. Veuillez réessayer dans quelques instants.',
  notOffered: 'La connexion avec FranceConnect n’est pas disponible pour ce service pour le moment.',
} as const;

/** How each code crosses the HTTP edge when the caller turns it into an {@link AppError}. */
const APP_ERROR_CODES: Record<FranceConnectErrorCode, ErrorCode> = {
  ACCESS_DENIED: 'UNAUTHENTICATED',
  PROVIDER_ERROR: 'UNAUTHENTICATED',
  CALLBACK_INVALID: 'UNAUTHENTICATED',
  STATE_INVALID: 'UNAUTHENTICATED',
  TOKEN_ENDPOINT_ERROR: 'DEPENDENCY_UNAVAILABLE',
  ID_TOKEN_INVALID: 'UNAUTHENTICATED',
  USERINFO_INVALID: 'UNAUTHENTICATED',
  PROVIDER_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  PROVIDER_MISCONFIGURED: 'DEPENDENCY_UNAVAILABLE',
  CLIENT_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
};

export interface FranceConnectErrorInit {
  readonly reason: string;
  readonly logoutRecommended: boolean;
  readonly userMessage?: string;
  readonly idTokenHint?: string | null;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/** Base class: `instanceof FranceConnectError` catches every failure of this library. */
export abstract class FranceConnectError extends Error {
  abstract readonly code: FranceConnectErrorCode;
  readonly reason: string;
  readonly logoutRecommended: boolean;
  /** Not enumerable: a logger serialising the error never writes the token (SR-23). */
  declare readonly idTokenHint: string | null;
  readonly retryable: boolean;

  protected constructor(defaultMessage: string, init: FranceConnectErrorInit) {
    super(init.userMessage ?? defaultMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.reason = init.reason;
    this.logoutRecommended = init.logoutRecommended;
    Object.defineProperty(this, 'idTokenHint', { value: init.idTokenHint ?? null, enumerable: false, writable: false });
    this.retryable = init.retryable ?? false;
  }

  /** The French sentence for the citizen (same as `message`). */
  get userMessage(): string {
    return this.message;
  }

  /** The platform's problem+json error for this failure (French detail, FranceConnect code as extension). */
  toAppError(): AppError {
    return new AppError(APP_ERROR_CODES[this.code], {
      detail: this.message,
      extensions: { franceconnectCode: this.code, logoutRecommended: this.logoutRecommended },
    });
  }
}

export function isFranceConnectError(value: unknown): value is FranceConnectError {
  return value instanceof FranceConnectError;
}

/** The citizen pressed « Annuler » at FranceConnect (`error=access_denied`). */
export class AccessDeniedError extends FranceConnectError {
  readonly code = 'ACCESS_DENIED' as const;
  constructor(reason = 'access_denied') {
    super(FRANCECONNECT_MESSAGES.cancelled, { reason, logoutRecommended: false });
  }
}

/** FranceConnect answered the callback with another `error` (`invalid_request`, `server_error`...). */
export class ProviderError extends FranceConnectError {
  readonly code = 'PROVIDER_ERROR' as const;
  /** The OAuth `error` value (bounded, [a-z_] only), for logs. */
  readonly providerError: string;
  constructor(providerError: string) {
    super(FRANCECONNECT_MESSAGES.providerError, { reason: `provider_error:${providerError}`, logoutRecommended: true });
    this.providerError = providerError;
  }
}

/** The callback itself is malformed: no `code`, repeated parameters, `iss` of another issuer... */
export class CallbackInvalidError extends FranceConnectError {
  readonly code = 'CALLBACK_INVALID' as const;
  constructor(reason: string) {
    super(FRANCECONNECT_MESSAGES.notVerified, { reason, logoutRecommended: true });
  }
}

export type StateFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'used' | 'foreign_tenant' | 'foreign_binding' | 'foreign_client';

/** `state` missing, unknown, expired, already used, or issued for another tenant or browser (SR-03). */
export class StateInvalidError extends FranceConnectError {
  readonly code = 'STATE_INVALID' as const;
  readonly failure: StateFailure;
  readonly flow: 'login' | 'logout';
  constructor(failure: StateFailure, flow: 'login' | 'logout' = 'login') {
    super(flow === 'login' ? FRANCECONNECT_MESSAGES.notVerified : FRANCECONNECT_MESSAGES.logoutNotVerified, {
      reason: `state_${failure}`,
      logoutRecommended: flow === 'login',
    });
    this.failure = failure;
    this.flow = flow;
  }
}

/** The token endpoint refused the code, failed (5xx), redirected, answered garbage or too much. */
export class TokenEndpointError extends FranceConnectError {
  readonly code = 'TOKEN_ENDPOINT_ERROR' as const;
  /** HTTP status when there was one. */
  readonly status: number | undefined;
  constructor(reason: string, status?: number, cause?: unknown) {
    super(FRANCECONNECT_MESSAGES.notCompleted, {
      reason,
      logoutRecommended: true,
      retryable: status === undefined || status >= 500,
      cause,
    });
    this.status = status;
  }
}

/** The ID token failed a check (SR-04): signature, algorithm, header, iss, aud/azp, exp/iat, nonce, acr... */
export class IdTokenInvalidError extends FranceConnectError {
  readonly code = 'ID_TOKEN_INVALID' as const;
  constructor(reason: string, cause?: unknown) {
    super(FRANCECONNECT_MESSAGES.notVerified, { reason: `id_token_${reason}`, logoutRecommended: true, cause });
  }
}

/** The userinfo answer failed a check (SR-05): not a JWT, unsigned, bad signature, iss/aud, sub mismatch, size... */
export class UserinfoInvalidError extends FranceConnectError {
  readonly code = 'USERINFO_INVALID' as const;
  constructor(reason: string, idTokenHint: string | null, cause?: unknown) {
    super(FRANCECONNECT_MESSAGES.notVerified, { reason: `userinfo_${reason}`, logoutRecommended: true, idTokenHint, cause });
  }
}

/** FranceConnect (discovery, JWKS, token, userinfo) did not answer in time or the network failed. */
export class ProviderUnavailableError extends FranceConnectError {
  readonly code = 'PROVIDER_UNAVAILABLE' as const;
  constructor(reason: string, logoutRecommended: boolean, cause?: unknown, idTokenHint: string | null = null) {
    super(FRANCECONNECT_MESSAGES.unavailable, { reason, logoutRecommended, retryable: true, cause, idTokenHint });
  }
}

/** The provider's metadata does not fit (discovery `issuer` differs, endpoint missing or foreign, bad JWKS). */
export class ProviderMisconfiguredError extends FranceConnectError {
  readonly code = 'PROVIDER_MISCONFIGURED' as const;
  constructor(reason: string, logoutRecommended = false, cause?: unknown) {
    super(FRANCECONNECT_MESSAGES.notOffered, { reason, logoutRecommended, cause });
  }
}

/** The tenant has no usable FranceConnect client (none configured, invalid, or a custom issuer not allowed). */
export class ClientUnavailableError extends FranceConnectError {
  readonly code = 'CLIENT_UNAVAILABLE' as const;
  constructor(reason: string, logoutRecommended = false) {
    super(FRANCECONNECT_MESSAGES.notOffered, { reason, logoutRecommended });
  }
}
