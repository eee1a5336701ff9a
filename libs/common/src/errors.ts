/**
 * Typed application errors with stable codes.
 *
 * Every error the platform returns on purpose is an {@link AppError} whose `code` comes from
 * {@link ERROR_CATALOGUE}. The HTTP layer maps them once to `application/problem+json`
 * (RFC 9457); the codes are a contract with API clients and must never be renamed.
 * Messages are in French because they reach console users and citizens; `detail` must never
 * contain a secret, a token or a citizen's personal data.
 */

export interface ErrorDefinition {
  /** HTTP status used when the error crosses the HTTP edge. */
  readonly status: number;
  /** Short French title, stable for a given code. */
  readonly title: string;
  /** Whether the operation may succeed if retried later (used by queues and clients). */
  readonly retryable: boolean;
}

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, title: 'Données invalides', retryable: false },
  MALFORMED_BODY: { status: 400, title: 'Corps de requête illisible', retryable: false },
  UNAUTHENTICATED: { status: 401, title: 'Authentification requise', retryable: false },
  FORBIDDEN: { status: 403, title: 'Action non autorisée', retryable: false },
  CSRF_REJECTED: { status: 403, title: 'Requête refusée (origine ou jeton de sécurité)', retryable: false },
  NOT_FOUND: { status: 404, title: 'Ressource introuvable', retryable: false },
  ROUTE_NOT_FOUND: { status: 404, title: 'Adresse introuvable', retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Méthode non autorisée', retryable: false },
  CONFLICT: { status: 409, title: 'Conflit avec l’état actuel', retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Requête trop volumineuse', retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Type de contenu non pris en charge', retryable: false },
  RATE_LIMITED: { status: 429, title: 'Trop de requêtes', retryable: true },
  INTERNAL_ERROR: { status: 500, title: 'Erreur interne', retryable: true },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'Service momentanément indisponible', retryable: true },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem with one input field, reported together with its siblings. */
export interface FieldViolation {
  /** Dotted path of the offending field (`contacts.0.email`), or `''` for the whole body. */
  readonly path: string;
  /** French, human-readable reason. */
  readonly message: string;
}

export interface AppErrorOptions {
  readonly detail?: string;
  readonly violations?: readonly FieldViolation[];
  readonly cause?: unknown;
  /** Extra machine-readable members for the problem document (never secrets). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly retryable: boolean;
  readonly detail: string | undefined;
  readonly violations: readonly FieldViolation[];
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const definition: ErrorDefinition = ERROR_CATALOGUE[code];
    super(options.detail ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = definition.status;
    this.title = definition.title;
    this.retryable = definition.retryable;
    this.detail = options.detail;
    this.violations = options.violations ?? [];
    this.extensions = options.extensions ?? {};
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Shorthand for the most common error: a request that fails validation. */
export function validationError(violations: readonly FieldViolation[], detail?: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    detail: detail ?? violations.map((v) => (v.path ? `${v.path} : ${v.message}` : v.message)).join(' ; '),
    violations,
  });
}
