/**
 * One call to a data route, once past the limits and faults: authentication (API Particulier
 * token, or FranceConnect access token on `/france_connect`), `recipient`, parameters, then the
 * staging case file that answers. Refusals are thrown as `ApiParticulierHttpError`s.
 */
import type { RouteDefinition } from './catalogue.js';
import type { CaseFile, CaseFolder } from './case-files.js';
import { apiErrors, ApiParticulierHttpError } from './errors.js';
import { FranceConnectUnavailableError, type FranceConnectTokenResolver, type FranceConnectVerdict } from './franceconnect-tokens.js';
import { bestMatch, type CriterionValue } from './matching.js';
import { franceConnectCriteria, identityCriteria, ineCriteria, periodCriteria } from './params.js';
import { isValidSiret } from './siret.js';
import { verifySandboxApiParticulierToken, type TokenVerdict } from './tokens.js';

export interface DataRouteContext {
  readonly folders: ReadonlyMap<string, CaseFolder>;
  readonly franceConnect: FranceConnectTokenResolver;
  readonly isRevoked: (jti: string) => boolean;
}

/**
 * Who calls, known before anything else so the journal can name it even when the call is refused
 * early (limits, faults): the bearer's kind on this route and its journal id.
 */
export type Credential =
  | { readonly kind: 'none'; readonly tokenId: null }
  /** On `/france_connect`: `fc:` + the first 12 hex digits of the token's SHA-256. */
  | { readonly kind: 'franceconnect'; readonly token: string; readonly tokenId: string }
  /** Elsewhere: the checked API Particulier token; its `jti` once the signature holds. */
  | { readonly kind: 'api-particulier'; readonly verdict: TokenVerdict; readonly tokenId: string | null };

/** `bearerDigest`: hex SHA-256 of the bearer (the bearer itself is never kept). */
export async function identifyCaller(route: RouteDefinition, bearer: string | null, bearerDigest: string | null, now: number): Promise<Credential> {
  if (bearer === null || bearerDigest === null) return { kind: 'none', tokenId: null };
  if (route.modality === 'france_connect') return { kind: 'franceconnect', token: bearer, tokenId: `fc:${bearerDigest.slice(0, 12)}` };
  const verdict = await verifySandboxApiParticulierToken(bearer, now);
  return { kind: 'api-particulier', verdict, tokenId: verdict.kind === 'invalid' ? null : verdict.claims.jti };
}

export interface Answer {
  readonly status: number;
  /** JSON. */
  readonly body: string;
  /** Error code of the answer, null for a success. */
  readonly code: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** The FranceConnect modality ignores what FranceConnect does not certify. */
const IGNORED_WITH_FRANCECONNECT: ReadonlySet<string> = new Set(['nomUsage']);

/** A 429 case file has no limiter window behind it: it asks for a retry a second later. */
const CASE_FILE_RETRY_AFTER_SECONDS = '1';

export function errorAnswer(error: ApiParticulierHttpError): Answer {
  return { status: error.status, body: JSON.stringify(error.body), code: error.entry.code, headers: error.headers };
}

function caseAnswer(file: CaseFile): Answer {
  const headers: Record<string, string> = {};
  if (file.status === 200) headers['X-Response-Cached'] = 'false';
  if (file.status === 429) headers['Retry-After'] = CASE_FILE_RETRY_AFTER_SECONDS;
  return { status: file.status, body: file.body, code: file.errorCode, headers };
}

function checkRecipient(query: URLSearchParams): void {
  const values = query.getAll('recipient');
  if (values.length === 0 || values[0] === '') throw apiErrors.recipientMissing();
  if (values.length > 1 || !isValidSiret(values[0] ?? '')) throw apiErrors.recipientInvalid();
}

function grantsApi(scopes: readonly string[], route: RouteDefinition): boolean {
  return scopes.some((scope) => route.api.scopes.includes(scope));
}

async function franceConnectCall(route: RouteDefinition, query: URLSearchParams, bearer: string, context: DataRouteContext, now: number): Promise<Map<string, CriterionValue>> {
  let verdict: FranceConnectVerdict;
  try {
    verdict = await context.franceConnect.resolve(bearer);
  } catch (error) {
    if (error instanceof FranceConnectUnavailableError) {
      process.stderr.write(`${JSON.stringify({ level: 'warn', service: 'fcplat-sandbox', component: 'api-particulier', msg: error.message })}\n`);
      throw apiErrors.franceConnectUnavailable();
    }
    throw error;
  }
  if (!verdict.active) throw apiErrors.franceConnectTokenInactive();
  if (!grantsApi(verdict.scopes, route)) throw apiErrors.franceConnectScopesMissing(route.api.label);
  checkRecipient(query);
  const criteria = franceConnectCriteria(verdict.identity);
  if (route.api.periodParams) for (const [key, value] of periodCriteria(query, new Date(now).getUTCFullYear())) criteria.set(key, value);
  return criteria;
}

function tokenCall(route: RouteDefinition, query: URLSearchParams, verdict: TokenVerdict, context: DataRouteContext, now: number): Map<string, CriterionValue> {
  if (verdict.kind === 'invalid') throw apiErrors.invalidToken();
  if (context.isRevoked(verdict.claims.jti)) throw apiErrors.revokedToken();
  if (verdict.kind === 'expired') throw apiErrors.expiredToken();
  if (!grantsApi(verdict.claims.scopes, route)) throw apiErrors.insufficientPrivileges();
  checkRecipient(query);
  if (route.modality === 'ine') return ineCriteria(query);
  const year = new Date(now).getUTCFullYear();
  const criteria = identityCriteria(query, route.api.identity, year);
  if (route.api.periodParams) for (const [key, value] of periodCriteria(query, year)) criteria.set(key, value);
  return criteria;
}

/** Answers a GET on a data route (`now`: the service's clock, epoch ms). */
export async function answerDataRoute(route: RouteDefinition, query: URLSearchParams, credential: Credential, context: DataRouteContext, now: number): Promise<Answer> {
  try {
    if (query.has('token')) throw apiErrors.invalidToken('Le jeton se transmet dans l’en-tête Authorization (Bearer), jamais dans l’URL.');
    if (credential.kind === 'none') throw apiErrors.invalidToken();
    const folder = context.folders.get(route.folder);
    if (!folder) throw new Error(`no case folder ${route.folder}`);
    const match =
      credential.kind === 'franceconnect'
        ? bestMatch(folder.cases, await franceConnectCall(route, query, credential.token, context, now), IGNORED_WITH_FRANCECONNECT)
        : bestMatch(folder.cases, tokenCall(route, query, credential.verdict, context, now));
    return caseAnswer(match ?? folder.notFound);
  } catch (error) {
    if (error instanceof ApiParticulierHttpError) return errorAnswer(error);
    throw error;
  }
}
