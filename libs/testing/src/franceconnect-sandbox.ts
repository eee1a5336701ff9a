/**
 * Tenants wired to the sandbox FranceConnect provider (apps/sandbox) through the real API, as staff
 * would do it: the tenant's URIs from the API, a client registered at the sandbox's admin API,
 * the client stored in the vault, and (by default) its environment chosen as the live one.
 */

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
