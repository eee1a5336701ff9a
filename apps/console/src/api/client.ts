import { consoleCsrfCookieName, readCookie } from '@fcplat/domain';
import { ApiProblemError, isRecord, sendToApi, statusMessage, violationsOf, type Violation } from '@fcplat/contract/client';
import { ROUTES, routeUrl, type CallArguments, type ParamsOf, type QueryOf, type ResponseOf, type RouteName, type RouteSpec } from '@fcplat/contract/routes';

/**
 * The CSRF token of the console session: the API sets it in a cookie this script reads
 * (`__Host-fcplat_csrf` over https, `fcplat_csrf` otherwise) and wants it back in `X-CSRF-Token`
 * on every state-changing call (apps/api/src/http/csrf.ts). Read at each call: it changes with
 * the session (login, second factor, logout).
 */
export function csrfToken(): string | null {
  return readCookie(document.cookie, consoleCsrfCookieName(true)) ?? readCookie(document.cookie, consoleCsrfCookieName(false));
}

export type { Violation };

/** A business-rule refusal (`reasons[]` of a refused onboarding transition). */
export interface RefusalReason {
  readonly code: string;
  readonly message: string;
  readonly itemIds?: readonly string[];
}

/** What the console keeps of an `application/problem+json` answer. */
export interface Problem {
  readonly status: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly violations: readonly Violation[];
  readonly reasons: readonly RefusalReason[];
}

/** A refused or failed call of the console, with the problem document (French `detail`) when the API sent one. */
export class ApiError extends ApiProblemError<Problem> {
  protected fallbackMessage(status: number): string {
    return fallbackMessage(status);
  }
}

export function fallbackMessage(status: number): string {
  return statusMessage(status, {
    unreachable: 'Le service est injoignable. Vérifiez votre connexion puis réessayez.',
    unauthenticated: 'Vous n’êtes pas connecté(e), ou votre session a expiré.',
    conflict: 'Cette action entre en conflit avec l’état actuel du dossier.',
  });
}

/** Reads a problem document defensively: anything missing or malformed is simply left out. */
export function problemOf(status: number, body: unknown): Problem {
  if (!isRecord(body)) return { status, violations: [], reasons: [] };
  const violations = violationsOf(body) ?? [];
  const reasons = Array.isArray(body['reasons'])
    ? body['reasons'].filter(isRecord).map((r) => ({
        code: String(r['code'] ?? ''),
        message: String(r['message'] ?? ''),
        ...(Array.isArray(r['itemIds']) ? { itemIds: r['itemIds'].map(String) } : {}),
      }))
    : [];
  const text = (key: string): string | undefined => (typeof body[key] === 'string' ? body[key] : undefined);
  return { status, code: text('code'), title: text('title'), detail: text('detail'), violations, reasons };
}

/** Called when an authenticated call answers 401: the session is gone (expired, revoked). */
let onUnauthenticated: (() => void) | null = null;

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** Routes that answer 401 as part of their normal work (wrong password, no session yet). */
const AUTH_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>(['login', 'totp', 'totpSetup', 'totpActivate', 'me', 'logout']);

/** The URL of a download route (a file: for a plain link or `<img>`, with the same-origin cookie, no fetch). */
export function routeHref<N extends RouteName>(name: N, params: ParamsOf<N>, query?: QueryOf<N>): string {
  const route: RouteSpec = ROUTES[name];
  if (route.produces === undefined) throw new Error(`${name}: not a download route`);
  return routeUrl(name, params, query);
}

/**
 * Calls route `name` of the API contract (libs/contract): its path parameters, query and body
 * are typed by the contract's schemas, and so is the answer. Same-origin cookies only (the
 * session cookie is HttpOnly); every state-changing call carries the session's CSRF token
 * (`X-CSRF-Token`) and a JSON body.
 */
export async function call<N extends RouteName>(name: N, ...[options]: CallArguments<N>): Promise<ResponseOf<N>> {
  const route: RouteSpec = ROUTES[name];
  const url = routeUrl(name, options?.params as ParamsOf<N>, options?.query as QueryOf<N>);
  return (await send(name, route, url, { body: options?.body, file: options?.file, signal: options?.signal })) as ResponseOf<N>;
}

async function send(name: RouteName, route: RouteSpec, path: string, options: { readonly body?: unknown; readonly file?: Blob; readonly signal?: AbortSignal }): Promise<unknown> {
  const answer = await sendToApi(name, route, new URL(path, window.location.origin), { ...options, csrfToken });
  if (!answer.ok) {
    const error = new ApiError(problemOf(answer.status, answer.body));
    if (answer.status === 401 && !AUTH_ROUTES.has(name)) onUnauthenticated?.();
    throw error;
  }
  return answer.body;
}

/** The message to show for any error thrown by a call (or by the code around it). */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  return fallbackMessage(500);
}
