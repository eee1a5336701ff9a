import { CSRF_HEADER, consoleCsrfCookieName, readCookie } from '@fcplat/domain';
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

/** A field-level message of a problem document (`violations[]`). */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

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

/** A refused or failed call, with the problem document (French `detail`) when the API sent one. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** The API's French detail, or a generic sentence by status. */
  get userMessage(): string {
    return this.problem.detail ?? fallbackMessage(this.problem.status);
  }

  /** Field messages keyed by field path (`siret`, `technicalContact.email`…), first one wins. */
  get fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const v of this.problem.violations) if (v.path && out[v.path] === undefined) out[v.path] = v.message;
    return out;
  }
}

export function fallbackMessage(status: number): string {
  switch (status) {
    case 0:
      return 'Le service est injoignable. Vérifiez votre connexion puis réessayez.';
    case 400:
      return 'Certaines informations saisies ne sont pas valides.';
    case 401:
      return 'Vous n’êtes pas connecté(e), ou votre session a expiré.';
    case 403:
      return 'Cette action ne vous est pas permise.';
    case 404:
      return 'L’élément demandé est introuvable.';
    case 409:
      return 'Cette action entre en conflit avec l’état actuel du dossier.';
    case 429:
      return 'Trop de tentatives. Patientez quelques minutes avant de réessayer.';
    default:
      return status >= 500 ? 'Le service rencontre un problème. Réessayez dans quelques instants.' : 'La demande n’a pas abouti.';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a problem document defensively: anything missing or malformed is simply left out. */
export function problemOf(status: number, body: unknown): Problem {
  if (!isRecord(body)) return { status, violations: [], reasons: [] };
  const violations = Array.isArray(body['violations'])
    ? body['violations'].filter(isRecord).map((v) => ({ path: String(v['path'] ?? ''), message: String(v['message'] ?? '') }))
    : [];
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
  const url = new URL(path, window.location.origin);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (route.method !== 'GET') {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let payload: string | Blob | undefined;
  if (route.rawBody !== undefined) {
    if (!options.file) throw new Error(`${name}: a file is required`);
    // text/csv is not a "simple" content type either: a cross-site form cannot send it.
    headers['Content-Type'] = route.rawBody;
    payload = options.file;
  } else if (route.method !== 'GET' && route.method !== 'DELETE') {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(url, { method: route.method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, violations: [], reasons: [] });
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = new ApiError(problemOf(response.status, parsed));
    if (response.status === 401 && !AUTH_ROUTES.has(name)) onUnauthenticated?.();
    throw error;
  }
  return parsed;
}

/** The message to show for any error thrown by a call (or by the code around it). */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  return fallbackMessage(500);
}
