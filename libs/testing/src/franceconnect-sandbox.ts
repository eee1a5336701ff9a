/**
 * Tenants wired to the sandbox FranceConnect provider (apps/sandbox) through the real API, as staff
 * would do it: the tenant's URIs from the API, a client registered at the sandbox's admin API,
 * the client stored in the vault, and (by default) its environment chosen as the live one.
 */
import { locationOf } from './cookie-jar-browser.js';

export interface SandboxFranceConnectClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ConnectToSandboxOptions {
  /** Base URL of the API under test. */
  readonly apiUrl: string;
  /** Base URL of the sandbox provider (its issuer is `${sandboxBase}/api/v2`). */
  readonly sandboxBase: string;
  readonly tenant: { readonly id: string; readonly name: string };
  /** `Authorization` value of a staff member who writes. */
  readonly authorization: string;
  /** Vault environment to store the client in (default `custom`; another one stands in for it). */
  readonly environment?: string;
  /** Make that environment the live one (default true); an already live one is left as it is. */
  readonly choose?: boolean;
}

/** Registers a new client at the sandbox for the tenant's redirect URIs (as the API computes them). */
export async function registerSandboxFranceConnectClient(options: Pick<ConnectToSandboxOptions, 'apiUrl' | 'sandboxBase' | 'tenant' | 'authorization'>): Promise<SandboxFranceConnectClient> {
  const uris = await fetch(`${options.apiUrl}/api/tenants/${options.tenant.id}/franceconnect/uris`, { headers: { authorization: options.authorization } });
  if (uris.status !== 200) throw new Error(`franceconnect/uris: ${uris.status}`);
  const { redirectUri, postLogoutRedirectUri } = (await uris.json()) as { redirectUri: string; postLogoutRedirectUri: string };
  const registration = await fetch(`${options.sandboxBase}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: options.tenant.name, redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogoutRedirectUri], id_token_signed_response_alg: 'ES256' }),
  });
  if (registration.status !== 201) throw new Error(`sandbox client registration: ${registration.status}`);
  const client = (await registration.json()) as { client_id: string; client_secret: string };
  return { clientId: client.client_id, clientSecret: client.client_secret };
}

/** Stores `client` for the tenant in `environment`, pointed at the sandbox's issuer. */
export async function storeSandboxFranceConnectClient(options: ConnectToSandboxOptions, client: SandboxFranceConnectClient): Promise<Response> {
  return fetch(`${options.apiUrl}/api/tenants/${options.tenant.id}/credentials/franceconnect/${options.environment ?? 'custom'}`, {
    method: 'PUT',
    headers: { authorization: options.authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, signingAlgorithm: 'ES256', issuerUrl: `${options.sandboxBase}/api/v2` }),
  });
}

/** Registers, stores and (by default) puts in service a sandbox client for the tenant. Throws on any refusal. */
export async function connectTenantToSandboxFranceConnect(options: ConnectToSandboxOptions): Promise<SandboxFranceConnectClient> {
  const client = await registerSandboxFranceConnectClient(options);
  const stored = await storeSandboxFranceConnectClient(options, client);
  if (stored.status !== 200) throw new Error(`storing the FranceConnect credentials: ${stored.status} ${await stored.text()}`);
  if (options.choose ?? true) {
    const live = await fetch(`${options.apiUrl}/api/tenants/${options.tenant.id}/environments/franceconnect`, {
      method: 'PUT',
      headers: { authorization: options.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ environment: options.environment ?? 'custom' }),
    });
    if (live.status !== 200) {
      const body = (await live.json()) as { reasons?: { code?: string }[] };
      if (body.reasons?.[0]?.code !== 'same_environment') throw new Error(`choosing the live FranceConnect environment: ${live.status} ${JSON.stringify(body)}`);
    }
  }
  return client;
}

/** The browser a FranceConnect journey needs: GET and form POST keeping its cookies (e.g. {@link CookieJarBrowser}). */
export interface JourneyBrowser {
  get(url: string): Promise<Response>;
  post(url: string, form: Record<string, string>): Promise<Response>;
}

/** The three steps of a citizen's FranceConnect login on a portal, each as its response. */
export interface FranceConnectJourney {
  /** The portal's login route (302 to the provider). */
  readonly begin: Response;
  /** The portal's callback (302 to the profile, or home with `erreur`). */
  readonly callback: Response;
}

/**
 * A citizen's FranceConnect journey on the portal `slug` through the sandbox provider: the portal's
 * login route, the provider's authorize and identity picker (`login`, password 123), then the
 * portal's callback. `between` runs after the login route and before the callback is called (a
 * test measures the portal's steps without the provider's).
 */
export async function franceConnectJourney(
  browser: JourneyBrowser,
  options: { readonly apiUrl: string; readonly sandboxBase: string; readonly slug: string; readonly login: string; readonly purpose?: string; readonly between?: () => void },
): Promise<FranceConnectJourney> {
  const begin = await browser.get(`${options.apiUrl}/t/${options.slug}/auth/franceconnect/login?purpose=${options.purpose ?? 'login'}`);
  const authorize = locationOf(begin, options.apiUrl);
  options.between?.();
  let next = locationOf(await browser.get(authorize.href), options.sandboxBase);
  if (next.pathname.startsWith('/api/v2/interaction/')) {
    await (await browser.get(next.href)).text();
    const submitted = await browser.post(`${next.href}/login`, { login: options.login, password: '123' });
    next = locationOf(await browser.get(locationOf(submitted, options.sandboxBase).href), options.sandboxBase);
  }
  if (!next.href.startsWith(`${options.apiUrl}/t/${options.slug}/auth/franceconnect/callback`)) throw new Error(`the provider sent the browser to ${next.pathname}`);
  options.between?.();
  const callback = await browser.get(next.href);
  return { begin, callback };
}
