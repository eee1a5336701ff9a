/// <reference lib="dom" />
/**
 * The browser's side of a call to the API, shared by the console's and the portal's clients
 * (`@fcplat/contract/client`): the request as the API wants it from a script — JSON both ways,
 * same-origin cookies only, never cached, the session's CSRF token on every state-changing call —
 * and the answer read defensively. What a client makes of a refusal (its problem document, its
 * error class, its French messages) stays its own. Browser code, typed against the DOM's `fetch`.
 */
import { CSRF_HEADER } from '@fcplat/domain';
import type { RouteSpec } from './routes.js';

/** The API's answer: its status (0: the API could not be reached) and its JSON body (`undefined` when empty or not JSON). */
export interface ApiAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: unknown;
}

export interface SendOptions {
  /** The session's CSRF token, read for state-changing calls only (it changes with the session). */
  readonly csrfToken: () => string | null;
  /** The JSON body of a state-changing call (`{}` when none). */
  readonly body?: unknown;
  /** The file a route with a `rawBody` type sends as is. */
  readonly file?: Blob;
  readonly signal?: AbortSignal;
}

/**
 * Sends route `name` (`route`, at `url`) and reads the answer. A network failure is an answer of
 * status 0; an aborted call rejects with the `AbortError`.
 */
export async function sendToApi(name: string, route: RouteSpec, url: string | URL, options: SendOptions): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (route.method !== 'GET') {
    const token = options.csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  let payload: string | Blob | undefined;
  if (route.rawBody !== undefined) {
    if (!options.file) throw new Error(`${name}: a file is required`);
    // text/csv is not a "simple" content type either: a cross-site form cannot send it.
    headers['Content-Type'] = route.rawBody;
    payload = options.file;
  } else if (route.method !== 'GET' && route.method !== 'DELETE') {
    // Every state-changing call carries a JSON body, so it is never a "simple" cross-site request.
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(url, { method: route.method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    return { ok: false, status: 0, body: undefined };
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
  return { ok: response.ok, status: response.status, body: parsed };
}

/** Whether a parsed JSON value is an object (not null, not an array): answers are read defensively. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field-level message of a problem document (`violations[]`). */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

/** The `violations[]` of a problem document, read defensively (`undefined` when the body has none). */
export function violationsOf(body: unknown): Violation[] | undefined {
  if (!isRecord(body) || !Array.isArray(body['violations'])) return undefined;
  return body['violations'].filter(isRecord).map((v) => ({ path: String(v['path'] ?? ''), message: String(v['message'] ?? '') }));
}

/** Field messages keyed by field path (`siret`, `technicalContact.email`…), the first one of a field wins. */
export function messagesByField(violations: readonly Violation[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of violations) if (v.path && out[v.path] === undefined) out[v.path] = v.message;
  return out;
}

/** The sentences of {@link statusMessage} that depend on who reads them (a citizen, an agent). */
export interface AudienceMessages {
  /** No answer at all (status 0). */
  readonly unreachable: string;
  readonly unauthenticated: string;
  readonly conflict: string;
}

/** A generic French sentence for a refused or failed call, by status, when the API sent no detail of its own. */
export function statusMessage(status: number, audience: AudienceMessages): string {
  switch (status) {
    case 0:
      return audience.unreachable;
    case 400:
      return 'Certaines informations saisies ne sont pas valides.';
    case 401:
      return audience.unauthenticated;
    case 403:
      return 'Cette action ne vous est pas permise.';
    case 404:
      return 'L’élément demandé est introuvable.';
    case 409:
      return audience.conflict;
    case 429:
      return 'Trop de tentatives. Patientez quelques minutes avant de réessayer.';
    default:
      return status >= 500 ? 'Le service rencontre un problème. Réessayez dans quelques instants.' : 'La demande n’a pas abouti.';
  }
}

/** What every client keeps of a problem document: its status, and its French words when the API sent them. */
export interface ProblemBase {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly violations?: readonly Violation[];
}

/**
 * A refused or failed call, with the problem document (French `detail`) when the API sent one.
 * Each client says in `fallbackMessage` what to show when the API sent no detail of its own.
 */
export abstract class ApiProblemError<P extends ProblemBase> extends Error {
  constructor(readonly problem: P) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** The API's French detail, or the client's generic sentence for the status. */
  get userMessage(): string {
    return this.problem.detail ?? this.fallbackMessage(this.problem.status);
  }

  /** Field messages keyed by field path (`email`, `technicalContact.email`…), the first one of a field wins. */
  get fieldMessages(): Record<string, string> {
    return messagesByField(this.problem.violations ?? []);
  }

  protected abstract fallbackMessage(status: number): string;
}
