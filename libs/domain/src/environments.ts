/**
 * The environments a tenant's FranceConnect client and API Particulier token live in, and the
 * rule for choosing the **live** one: the environment the tenant's portal and calls actually use.
 *
 * The live environment is always an explicit choice made by the editor's staff, never implied by
 * which credentials happen to be stored (saving production credentials must not move a portal to
 * production). The choice is gated:
 * - the target environment's credentials must be stored and usable;
 * - `production` only once the onboarding case has reached the stages where FranceConnect has
 *   qualified the client and the production credentials were received
 *   ({@link PRODUCTION_READY_STAGES});
 * - leaving production is always possible (whatever the stage), with a reason;
 * - `custom` (a stand-in provider) only on platforms that allow custom endpoints.
 *
 * Pure: the API builds a {@link LiveEnvironmentRequest} from its records.
 */
import { ONBOARDING_STAGE_LABELS, type OnboardingStage } from './onboarding.js';

/**
 * FranceConnect v2 environments: `sandbox` (the partner space's sandbox), `integration` (the older
 * integration platform whose keys were issued through Démarches Simplifiées), `production`, and
 * `custom` (a stand-in provider at an issuer of the platform's choosing: tests, staging).
 */
export const FRANCECONNECT_ENVIRONMENTS = ['sandbox', 'integration', 'production', 'custom'] as const;
export type FranceConnectEnvironment = (typeof FRANCECONNECT_ENVIRONMENTS)[number];

/** Issuers (= discovery bases) of FranceConnect's own environments; `custom` has none. */
export const FRANCECONNECT_ISSUERS = {
  sandbox: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  integration: 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2',
  production: 'https://oidc.franceconnect.gouv.fr/api/v2',
} as const satisfies Record<Exclude<FranceConnectEnvironment, 'custom'>, string>;

/** Signing algorithms FranceConnect v2's partner space offers for ID tokens and userinfo; nothing else is accepted. */
export const FRANCECONNECT_SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type FranceConnectSigningAlgorithm = (typeof FRANCECONNECT_SIGNING_ALGORITHMS)[number];

export const FRANCECONNECT_ENVIRONMENT_LABELS: Readonly<Record<FranceConnectEnvironment, string>> = {
  sandbox: 'Bac à sable FranceConnect',
  integration: 'Intégration FranceConnect',
  production: 'Production',
  custom: 'Fournisseur de test',
};

/**
 * API Particulier v3 environments: `sandbox` (the platform's stand-in), `staging` (API
 * Particulier's own test platform), `production`, `custom` (a stand-in at a URL of the platform's
 * choosing).
 */
export const API_PARTICULIER_ENVIRONMENTS = ['sandbox', 'staging', 'production', 'custom'] as const;
export type ApiParticulierEnvironment = (typeof API_PARTICULIER_ENVIRONMENTS)[number];

export const API_PARTICULIER_ENVIRONMENT_LABELS: Readonly<Record<ApiParticulierEnvironment, string>> = {
  sandbox: 'Bac à sable de la plateforme',
  staging: 'Recette API Particulier',
  production: 'Production',
  custom: 'Fournisseur de test',
};

/** The two products whose live environment is chosen per tenant. */
export const LIVE_ENVIRONMENT_PRODUCTS = ['franceconnect', 'api_particulier'] as const;
export type LiveEnvironmentProduct = (typeof LIVE_ENVIRONMENT_PRODUCTS)[number];

export const LIVE_ENVIRONMENT_PRODUCT_LABELS: Readonly<Record<LiveEnvironmentProduct, string>> = {
  franceconnect: 'FranceConnect',
  api_particulier: 'API Particulier',
};

export type ProductEnvironment<P extends LiveEnvironmentProduct> = P extends 'franceconnect' ? FranceConnectEnvironment : ApiParticulierEnvironment;
export type AnyEnvironment = FranceConnectEnvironment | ApiParticulierEnvironment;

export function environmentsOf(product: LiveEnvironmentProduct): readonly AnyEnvironment[] {
  return product === 'franceconnect' ? FRANCECONNECT_ENVIRONMENTS : API_PARTICULIER_ENVIRONMENTS;
}

export function isEnvironmentOf(product: LiveEnvironmentProduct, value: unknown): value is AnyEnvironment {
  return typeof value === 'string' && (environmentsOf(product) as readonly string[]).includes(value);
}

export function environmentLabel(product: LiveEnvironmentProduct, environment: AnyEnvironment): string {
  const labels: Readonly<Record<string, string>> = product === 'franceconnect' ? FRANCECONNECT_ENVIRONMENT_LABELS : API_PARTICULIER_ENVIRONMENT_LABELS;
  return labels[environment] ?? environment;
}

/** Whether citizens' real identities and data are involved: everything else is a test environment. */
export function isProductionEnvironment(environment: AnyEnvironment | null | undefined): boolean {
  return environment === 'production';
}

/**
 * Stages from which a tenant may go live in production: FranceConnect has qualified the client
 * and the production credentials were received (`production_credentials_received`), or the case
 * is already `live`.
 */
export const PRODUCTION_READY_STAGES: readonly OnboardingStage[] = ['production_credentials_received', 'live'];

/** What the stored credentials of the target environment are worth. */
export type CredentialsCondition =
  /** Nothing stored for that environment. */
  | 'missing'
  /** Stored but not usable: does not decrypt, malformed, expired, or its endpoint is disabled here. */
  | 'unusable'
  | 'usable';

export interface LiveEnvironmentRequest {
  readonly product: LiveEnvironmentProduct;
  /** The current live environment (`null`: none chosen yet). */
  readonly from: AnyEnvironment | null;
  readonly to: AnyEnvironment;
  /** The onboarding case's stage. */
  readonly stage: OnboardingStage;
  /** The target environment's credentials. */
  readonly credentials: CredentialsCondition;
  /** Why; required when leaving production. */
  readonly reason?: string | null;
  /** ALLOW_CUSTOM_ENDPOINTS: whether `custom` may be used on this platform. */
  readonly customAllowed: boolean;
}

export type LiveEnvironmentRefusalCode =
  | 'unknown_environment'
  | 'same_environment'
  | 'environment_disabled'
  | 'credentials_missing'
  | 'credentials_unusable'
  | 'stage_not_ready'
  | 'reason_required';

export interface LiveEnvironmentRefusal {
  readonly code: LiveEnvironmentRefusalCode;
  /** French, for the person who asked. */
  readonly message: string;
}

export type LiveEnvironmentDecision = { readonly ok: true } | ({ readonly ok: false } & LiveEnvironmentRefusal);

/** Shortest accepted reason (after trimming) for leaving production: a word, not a keystroke. */
export const LIVE_ENVIRONMENT_REASON_MIN_LENGTH = 5;

/**
 * Whether the live environment of `request.product` may move from `request.from` to `request.to`.
 * The first rule that fails is reported (the order below is the order a person would fix things in).
 */
export function liveEnvironmentDecision(request: LiveEnvironmentRequest): LiveEnvironmentDecision {
  const { product, from, to, stage } = request;
  const productLabel = LIVE_ENVIRONMENT_PRODUCT_LABELS[product];
  if (!isEnvironmentOf(product, to)) {
    return { ok: false, code: 'unknown_environment', message: `Environnement ${productLabel} inconnu : ${String(to)}.` };
  }
  const toLabel = environmentLabel(product, to);
  if (from === to) {
    return { ok: false, code: 'same_environment', message: `L’environnement ${productLabel} en service est déjà « ${toLabel} ».` };
  }
  if (to === 'custom' && !request.customAllowed) {
    return {
      ok: false,
      code: 'environment_disabled',
      message: `L’environnement « ${toLabel} » n’est disponible que sur une plateforme de test ou de recette (ALLOW_CUSTOM_ENDPOINTS).`,
    };
  }
  if (request.credentials === 'missing') {
    return { ok: false, code: 'credentials_missing', message: `Aucun identifiant ${productLabel} n’est enregistré pour « ${toLabel} » : enregistrez-les d’abord.` };
  }
  if (request.credentials === 'unusable') {
    return {
      ok: false,
      code: 'credentials_unusable',
      message: `Les identifiants ${productLabel} de « ${toLabel} » ne sont pas utilisables (expirés, illisibles ou mal formés) : enregistrez-les à nouveau.`,
    };
  }
  if (to === 'production' && !PRODUCTION_READY_STAGES.includes(stage)) {
    return {
      ok: false,
      code: 'stage_not_ready',
      message:
        `Passage en production impossible à l’étape « ${ONBOARDING_STAGE_LABELS[stage]} » : il faut que FranceConnect ait qualifié le client ` +
        `et que les identifiants de production soient reçus (étape « ${ONBOARDING_STAGE_LABELS.production_credentials_received} » ou « ${ONBOARDING_STAGE_LABELS.live} »).`,
    };
  }
  if (from === 'production' && (request.reason ?? '').trim().length < LIVE_ENVIRONMENT_REASON_MIN_LENGTH) {
    return {
      ok: false,
      code: 'reason_required',
      message: `Indiquez le motif du retour de la production vers « ${toLabel} » (au moins ${LIVE_ENVIRONMENT_REASON_MIN_LENGTH} caractères).`,
    };
  }
  return { ok: true };
}

// ---- Credential formats (structure only: nothing is sent anywhere to check them) ----

/** FranceConnect client ids and secrets: 64 lowercase hexadecimal characters (32 random bytes). */
export const FRANCECONNECT_CREDENTIAL_PATTERN = /^[0-9a-f]{64}$/;

/** The French problem with a FranceConnect client_id or client_secret, or `null` when its format is right. */
export function franceConnectCredentialProblem(value: string): string | null {
  if (FRANCECONNECT_CREDENTIAL_PATTERN.test(value)) return null;
  if (/^[0-9A-Fa-f]{64}$/.test(value)) return 'les lettres doivent être en minuscules (64 caractères hexadécimaux attendus)';
  return `64 caractères hexadécimaux attendus (0-9, a-f), reçu ${value.length} caractère${value.length > 1 ? 's' : ''}`;
}

export type ApiParticulierTokenReading =
  | { readonly ok: true; /** From the `exp` claim, when the token has one. */ readonly expiresAt: Date | null; readonly issuedAt: Date | null }
  | { readonly ok: false; readonly problem: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): unknown {
  const padded = segment.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (segment.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
}

/**
 * Reads an API Particulier token as the JWT it is (header.payload.signature, base64url, JSON
 * header with an `alg`, JSON object payload), without checking the signature (only API
 * Particulier can). Its `exp` and `iat` claims are returned when present.
 */
export function readApiParticulierToken(token: string): ApiParticulierTokenReading {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'jeton JWT attendu (trois parties séparées par des points)' };
  if (!parts.every((p) => p.length > 0 && BASE64URL.test(p))) return { ok: false, problem: 'jeton JWT attendu (parties encodées en base64url)' };
  let header: unknown;
  let payload: unknown;
  try {
    header = decodeSegment(parts[0] as string);
    payload = decodeSegment(parts[1] as string);
  } catch {
    return { ok: false, problem: 'jeton JWT illisible (en-tête ou contenu non JSON)' };
  }
  if (typeof header !== 'object' || header === null || typeof (header as { alg?: unknown }).alg !== 'string') {
    return { ok: false, problem: 'jeton JWT sans algorithme de signature (« alg ») dans son en-tête' };
  }
  if ((header as { alg: string }).alg === 'none') return { ok: false, problem: 'jeton JWT non signé (« alg » : none)' };
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, problem: 'jeton JWT dont le contenu n’est pas un objet JSON' };
  const claim = (name: 'exp' | 'iat'): Date | null | 'invalid' => {
    const value = (payload as Record<string, unknown>)[name];
    if (value === undefined) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1e11) return 'invalid';
    return new Date(value * 1000);
  };
  const expiresAt = claim('exp');
  const issuedAt = claim('iat');
  if (expiresAt === 'invalid') return { ok: false, problem: 'jeton JWT dont la date d’expiration (« exp ») est invalide' };
  if (issuedAt === 'invalid') return { ok: false, problem: 'jeton JWT dont la date d’émission (« iat ») est invalide' };
  return { ok: true, expiresAt, issuedAt };
}
