import type { CitizenView, DataRetrievalStart, PortalView, RedirectView, RetrievedData } from '@fcplat/contract';
import { ROUTES, routeUrl, type BodyOf, type ParamsOf, type QueryOf, type PortalRouteName, type ResponseOf, type RouteSpec } from '@fcplat/contract/routes';
import { API_PARTICULIER_APIS, citizenCsrfCookieName, readCookie, type ApiParticulierApi } from '@fcplat/domain';
import { ApiProblemError, isRecord, sendToApi, statusMessage, violationsOf } from '@fcplat/contract/client';

/** RFC 9457 problem document, as the API answers errors. */
export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly violations?: readonly { readonly path: string; readonly message: string }[];
  /** Where to go to fix it (e.g. FranceConnect again), a path of this site. */
  readonly redirect?: string;
}

/** What the portal shows of one API's data (the contract's `RetrievedData`, read defensively; the summary is not shown). */
export type RetrievedDataShown = Omit<RetrievedData, 'summary'>;

/** `POST …/data-retrieval/confirm`, as the portal keeps it. */
export interface DataRetrievalConfirmed {
  readonly status: 'ok';
  readonly scopes: readonly string[];
  readonly results: readonly RetrievedDataShown[];
}

/** A refused or failed call of the portal, with the problem document (French `detail`) when the API sent one. */
export class ApiError extends ApiProblemError<Problem> {
  protected fallbackMessage(status: number): string {
    return fallbackMessage(status);
  }
}

export function fallbackMessage(status: number): string {
  return statusMessage(status, {
    unreachable: 'Le service est injoignable. Vérifiez votre connexion à Internet puis réessayez.',
    unauthenticated: 'Vous n’êtes pas connecté ou vos identifiants sont incorrects.',
    conflict: 'Cette action entre en conflit avec l’état actuel de votre compte.',
  });
}

function problemOf(status: number, body: unknown): Problem {
  if (!isRecord(body)) return { status };
  const violations = violationsOf(body);
  return {
    status,
    title: typeof body['title'] === 'string' ? body['title'] : undefined,
    code: typeof body['code'] === 'string' ? body['code'] : undefined,
    detail: typeof body['detail'] === 'string' ? body['detail'] : undefined,
    violations,
    // Only a path of this site: the portal never follows a redirect elsewhere from a problem.
    redirect: typeof body['redirect'] === 'string' && body['redirect'].startsWith('/t/') ? body['redirect'] : undefined,
  };
}

/**
 * The CSRF token of this portal's session: the API sets it in a cookie of this portal that the
 * script reads (`__Host-fcplat_csrf_<slug>` over https, `fcplat_csrf_<slug>` otherwise) and wants
 * it back in `X-CSRF-Token` on every state-changing call. Read at each call: it changes with the
 * session.
 */
export function csrfToken(slug: string): string | null {
  return readCookie(document.cookie, citizenCsrfCookieName(slug, true)) ?? readCookie(document.cookie, citizenCsrfCookieName(slug, false));
}

/** The portal's API client for one tenant. Cookies only (same origin); JSON both ways; the CSRF token on every write. */
export class PortalApi {
  constructor(private readonly slug: string) {}

  /**
   * Calls route `name` of the API contract for this portal (`{slug}` filled in); the body, the
   * query and the answer are typed by the contract.
   */
  private async call<N extends PortalRouteName>(name: N, options: { readonly body?: BodyOf<N>; readonly query?: QueryOf<N> } = {}): Promise<ResponseOf<N>> {
    const route: RouteSpec = ROUTES[name];
    const url = routeUrl(name, { slug: this.slug } as ParamsOf<N>, options.query);
    const answer = await sendToApi(name, route, url, { body: options.body, csrfToken: () => csrfToken(this.slug) });
    if (!answer.ok) throw new ApiError(problemOf(answer.status, answer.body));
    return answer.body as ResponseOf<N>;
  }

  async portal(): Promise<PortalView> {
    return this.call('portal');
  }

  /** The logged-in citizen, or `null` when not logged in (401). */
  async me(): Promise<CitizenView | null> {
    try {
      return await this.call('portalMe');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }

  async signup(input: BodyOf<'portalSignup'>): Promise<void> {
    await this.call('portalSignup', { body: input });
  }

  /** Activates a sign-up with the token of its e-mailed link; logs in. */
  async confirmSignup(token: string): Promise<void> {
    await this.call('portalConfirmSignup', { body: { token } });
  }

  async login(input: BodyOf<'portalLogin'>): Promise<void> {
    await this.call('portalLogin', { body: input });
  }

  async logout(): Promise<RedirectView> {
    return redirectOf(await this.call('portalLogout'));
  }

  async updateMe(input: BodyOf<'portalUpdateMe'>): Promise<void> {
    await this.call('portalUpdateMe', { body: input });
  }

  async deleteMe(): Promise<RedirectView> {
    return redirectOf(await this.call('portalDeleteMe'));
  }

  async confirmReconciliation(): Promise<void> {
    await this.call('portalConfirmReconciliation');
  }

  async rejectReconciliation(): Promise<void> {
    await this.call('portalRejectReconciliation');
  }

  async startDataRetrieval(): Promise<DataRetrievalStart> {
    const body: unknown = await this.call('portalStartDataRetrieval');
    if (isRecord(body) && body['status'] === 'confirm_required' && typeof body['expiresAt'] === 'string') {
      return { status: 'confirm_required', expiresAt: body['expiresAt'] };
    }
    if (isRecord(body) && typeof body['redirect'] === 'string') return { status: 'redirect', redirect: body['redirect'] };
    throw new ApiError({ status: 502, detail: 'Réponse inattendue du service.' });
  }

  async confirmDataRetrieval(): Promise<DataRetrievalConfirmed> {
    const body: unknown = await this.call('portalConfirmDataRetrieval');
    if (isRecord(body) && body['status'] === 'ok' && Array.isArray(body['scopes'])) {
      return { status: 'ok', scopes: body['scopes'].filter((s): s is string => typeof s === 'string'), results: retrievedDataOf(body['results']) };
    }
    throw new ApiError({ status: 502, detail: 'Réponse inattendue du service.' });
  }

  /** The data retrieved in the last 30 minutes (to show it again, or once a late answer arrives). */
  async dataRetrievalResults(wait = false): Promise<RetrievedDataShown[]> {
    const body: unknown = await this.call('portalDataRetrievalResults', wait ? { query: { wait: 'true' } } : {});
    return retrievedDataOf(isRecord(body) ? body['results'] : undefined);
  }
}

const RESULT_STATUSES = new Set(['succeeded', 'failed', 'pending']);

/** Keeps only well-formed entries: the page never renders something it did not expect. */
function retrievedDataOf(value: unknown): RetrievedDataShown[] {
  if (!Array.isArray(value)) return [];
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return value.flatMap((entry): RetrievedDataShown[] => {
    if (!isRecord(entry) || !isApi(entry['api']) || typeof entry['label'] !== 'string' || !RESULT_STATUSES.has(String(entry['status']))) return [];
    return [
      {
        api: entry['api'],
        label: entry['label'],
        provider: text(entry['provider']) ?? '',
        usage: text(entry['usage']) ?? '',
        status: entry['status'] as RetrievedDataShown['status'],
        description: text(entry['description']),
        message: text(entry['message']),
        retrievedAt: text(entry['retrievedAt']),
      },
    ];
  });
}

const isApi = (value: unknown): value is ApiParticulierApi => typeof value === 'string' && (API_PARTICULIER_APIS as readonly string[]).includes(value);

function redirectOf(body: unknown): RedirectView {
  return { redirect: isRecord(body) && typeof body['redirect'] === 'string' && body['redirect'] ? body['redirect'] : null };
}
