/**
 * Client of the sandbox FranceConnect's administration API (apps/sandbox, `POST /admin/clients`,
 * `GET /admin/clients/:id`): registers a tenant's client in one call. It does not exist at
 * FranceConnect; SANDBOX_FRANCECONNECT_URL points at it (unset: the action is unavailable).
 */
import { AppError } from '@fcplat/common';
import { request } from '@fcplat/outbound-http';

export const SANDBOX_ADMIN_TIMEOUT_MS = 5_000;

const UNAVAILABLE = 'Le bac à sable FranceConnect ne répond pas : vérifiez qu’il est démarré (SANDBOX_FRANCECONNECT_URL), puis recommencez.';

export interface SandboxClientRequest {
  readonly clientName: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
}

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Issuer of the sandbox provider served at `baseUrl` (FranceConnect's `urlPrefix`). */
export function sandboxIssuer(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v2`;
}

/** Registers a new client at the sandbox; AppError DEPENDENCY_UNAVAILABLE when the sandbox is down or answers oddly. */
export async function registerSandboxClient(baseUrl: string, input: SandboxClientRequest): Promise<SandboxClient> {
  const response = await request({
    method: 'POST',
    url: `${baseUrl.replace(/\/+$/, '')}/admin/clients`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: input.clientName.slice(0, 200),
      redirect_uris: [input.redirectUri],
      post_logout_redirect_uris: [input.postLogoutRedirectUri],
      id_token_signed_response_alg: 'ES256',
    }),
    timeoutMs: SANDBOX_ADMIN_TIMEOUT_MS,
  }).catch((error: unknown) => {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
  });
  if (response.status !== 201) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: `Le bac à sable FranceConnect a refusé l’enregistrement du client (statut ${response.status}).` });
  }
  let body: unknown;
  try {
    body = response.json();
  } catch (error) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
  }
  const { client_id: clientId, client_secret: clientSecret } = (body ?? {}) as { client_id?: unknown; client_secret?: unknown };
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'Réponse inattendue du bac à sable FranceConnect.' });
  }
  return { clientId, clientSecret };
}

/**
 * The redirect URIs the sandbox has for `clientId`, or `null` when it no longer knows the client
 * (its clients file may have been removed). Throws DEPENDENCY_UNAVAILABLE.
 */
export async function sandboxClientRedirectUris(baseUrl: string, clientId: string): Promise<string[] | null> {
  const response = await request({
    url: `${baseUrl.replace(/\/+$/, '')}/admin/clients/${encodeURIComponent(clientId)}`,
    headers: { accept: 'application/json' },
    timeoutMs: SANDBOX_ADMIN_TIMEOUT_MS,
  }).catch((error: unknown) => {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
  });
  if (response.status === 404) return null;
  if (response.ok) {
    let body: unknown;
    try {
      body = response.json();
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
    }
    const uris = (body as { redirect_uris?: unknown } | null)?.redirect_uris;
    return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : [];
  }
  throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: `Le bac à sable FranceConnect répond ${response.status}.` });
}
