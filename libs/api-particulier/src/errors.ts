/**
 * Typed errors of API Particulier calls. Each has a stable `code` (kept in the call log), a
 * `disposition` telling the queue what to do, and what API Particulier said (`upstreamCode`, e.g.
 * `37003`, and its title). Messages never contain the token, the query string or a citizen's data.
 */
import type { RateLimitInfo } from './rate-limit-headers.js';

export const API_PARTICULIER_ERROR_CODES = [
  'APIP_BAD_REQUEST',
  'APIP_UNAUTHORIZED',
  'APIP_TOKEN_EXPIRED',
  'APIP_TOKEN_REVOKED',
  'APIP_FRANCECONNECT_TOKEN_REFUSED',
  'APIP_FORBIDDEN',
  'APIP_NOT_FOUND',
  'APIP_INVALID_PARAMETERS',
  'APIP_ALREADY_IN_PROGRESS',
  'APIP_RATE_LIMITED',
  'APIP_UPSTREAM_ERROR',
  'APIP_UNAVAILABLE',
  'APIP_PROVIDER_TIMEOUT',
  'APIP_TIMEOUT',
  'APIP_NETWORK_ERROR',
  'APIP_INVALID_RESPONSE',
  'APIP_UNEXPECTED_STATUS',
] as const;
export type ApiParticulierErrorCode = (typeof API_PARTICULIER_ERROR_CODES)[number];

/**
 * - `final`: the same call will fail the same way (400/401/403/404/422): stop at once;
 * - `retryable`: transient (409 in progress, 500/502/503/504, timeouts, network): back off and retry;
 * - `rate_limited`: 429: wait until the reset without consuming an attempt (SR-33).
 */
export type ErrorDisposition = 'final' | 'retryable' | 'rate_limited';

/** French explanation of each code, for the console's call log and the portal. */
export const API_PARTICULIER_ERROR_LABELS: Readonly<Record<ApiParticulierErrorCode, string>> = {
  APIP_BAD_REQUEST: 'Requête refusée par API Particulier (paramètres mal formés).',
  APIP_UNAUTHORIZED: 'Jeton API Particulier absent ou invalide.',
  APIP_TOKEN_EXPIRED: 'Jeton API Particulier expiré : demandez-en un nouveau.',
  APIP_TOKEN_REVOKED: 'Jeton API Particulier révoqué.',
  APIP_FRANCECONNECT_TOKEN_REFUSED: 'Jeton FranceConnect refusé (expiré, session terminée ou données non autorisées).',
  APIP_FORBIDDEN: 'Le jeton n’a pas les droits nécessaires pour cette API.',
  APIP_NOT_FOUND: 'Aucun dossier trouvé pour cette personne.',
  APIP_INVALID_PARAMETERS: 'Paramètres refusés par API Particulier.',
  APIP_ALREADY_IN_PROGRESS: 'La même demande est déjà en cours chez API Particulier.',
  APIP_RATE_LIMITED: 'Limite de débit d’API Particulier atteinte.',
  APIP_UPSTREAM_ERROR: 'Erreur du fournisseur de données.',
  APIP_UNAVAILABLE: 'API Particulier est momentanément indisponible.',
  APIP_PROVIDER_TIMEOUT: 'Le fournisseur de données n’a pas répondu à temps.',
  APIP_TIMEOUT: 'API Particulier n’a pas répondu à temps.',
  APIP_NETWORK_ERROR: 'API Particulier est injoignable.',
  APIP_INVALID_RESPONSE: 'Réponse d’API Particulier illisible.',
  APIP_UNEXPECTED_STATUS: 'Réponse inattendue d’API Particulier.',
};

export interface ApiParticulierErrorInit {
  readonly status: number | null;
  readonly upstreamCode?: string | null;
  readonly upstreamTitle?: string | null;
  readonly provider?: string | null;
  /** 429 (and some 503): how long to wait, from `Retry-After` or `RateLimit-Reset`. */
  readonly retryAfterMs?: number | null;
  readonly rateLimit?: RateLimitInfo | null;
  readonly latencyMs?: number | null;
  readonly cause?: unknown;
}

export class ApiParticulierError extends Error {
  readonly code: ApiParticulierErrorCode;
  readonly disposition: ErrorDisposition;
  readonly status: number | null;
  readonly upstreamCode: string | null;
  readonly upstreamTitle: string | null;
  readonly provider: string | null;
  readonly retryAfterMs: number | null;
  readonly rateLimit: RateLimitInfo | null;
  readonly latencyMs: number | null;

  constructor(code: ApiParticulierErrorCode, disposition: ErrorDisposition, init: ApiParticulierErrorInit) {
    super(API_PARTICULIER_ERROR_LABELS[code], init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiParticulierError';
    this.code = code;
    this.disposition = disposition;
    this.status = init.status;
    this.upstreamCode = init.upstreamCode ?? null;
    this.upstreamTitle = init.upstreamTitle ?? null;
    this.provider = init.provider ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.rateLimit = init.rateLimit ?? null;
    this.latencyMs = init.latencyMs ?? null;
  }
}

export function isApiParticulierError(value: unknown): value is ApiParticulierError {
  return value instanceof ApiParticulierError;
}

/** What a status means for the queue (docs/domain.md §2.6, SR-33). */
export function classifyStatus(status: number, upstreamCode: string | null, modality: string): [ApiParticulierErrorCode, ErrorDisposition] {
  switch (status) {
    case 400:
      return ['APIP_BAD_REQUEST', 'final'];
    case 401:
      if (modality === 'france_connect') return ['APIP_FRANCECONNECT_TOKEN_REFUSED', 'final'];
      if (upstreamCode === '00103') return ['APIP_TOKEN_EXPIRED', 'final'];
      if (upstreamCode === '00105') return ['APIP_TOKEN_REVOKED', 'final'];
      return ['APIP_UNAUTHORIZED', 'final'];
    case 403:
      return ['APIP_FORBIDDEN', 'final'];
    case 404:
      return ['APIP_NOT_FOUND', 'final'];
    case 422:
      return ['APIP_INVALID_PARAMETERS', 'final'];
    case 409:
      return ['APIP_ALREADY_IN_PROGRESS', 'retryable'];
    case 429:
      return ['APIP_RATE_LIMITED', 'rate_limited'];
    case 500:
    case 502:
      return ['APIP_UPSTREAM_ERROR', 'retryable'];
    case 503:
      return ['APIP_UNAVAILABLE', 'retryable'];
    case 504:
      return ['APIP_PROVIDER_TIMEOUT', 'retryable'];
    default:
      return ['APIP_UNEXPECTED_STATUS', 'final'];
  }
}
