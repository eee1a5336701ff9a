import { randomBytes } from 'node:crypto';
import { SIGNING_ALGS, type SigningAlg } from './keys.js';

/** What the platform registers for a service provider (one tenant, one environment). */
export interface ClientRegistration {
  readonly client_name?: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris: readonly string[];
  /** ES256 by default (FranceConnect's recommendation), or RS256. Userinfo is signed alike. */
  readonly id_token_signed_response_alg: SigningAlg;
}

export interface RegisteredClient extends ClientRegistration {
  readonly client_id: string;
  readonly client_secret: string;
  readonly created_at: string;
}

export type MetadataError = { readonly error: 'invalid_client_metadata' | 'invalid_redirect_uri'; readonly description: string };
export type Parsed<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & MetadataError);

const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{8,128}$/;
const CLIENT_SECRET_PATTERN = /^[\x21-\x7e]{32,256}$/;
const REGISTRATION_FIELDS = new Set(['client_name', 'redirect_uris', 'post_logout_redirect_uris', 'id_token_signed_response_alg']);

function fail(description: string, error: MetadataError['error'] = 'invalid_client_metadata'): { ok: false } & MetadataError {
  return { ok: false, error, description };
}

/** An absolute http(s) URL without fragment or credentials, or the reason it is not. */
function uriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > MAX_URI_LENGTH) return `must be at most ${MAX_URI_LENGTH} characters`;
  if (value.includes('#')) return 'must not contain a fragment';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  return undefined;
}

function parseUris(value: unknown, field: string, required: boolean): Parsed<string[]> {
  if (value === undefined && !required) return { ok: true, value: [] };
  if (!Array.isArray(value)) return fail(`${field} must be an array of URLs`, field === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata');
  const items = value as unknown[];
  const error = field === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata';
  if (required && items.length === 0) return fail(`${field} must hold at least one URL`, error);
  if (items.length > MAX_URIS) return fail(`${field} must hold at most ${MAX_URIS} URLs`, error);
  for (const [index, item] of items.entries()) {
    const problem = uriProblem(item);
    if (problem) return fail(`${field}[${index}] ${problem}`, error);
  }
  return { ok: true, value: [...new Set(items as string[])] };
}

/**
 * Validates a registration body (`POST /admin/clients`, `PUT /admin/clients/:id`). Unknown fields
 * are refused. Redirect URIs must all be on one host: FranceConnect asks for a single domain
 * (pairwise subjects are computed per sector, i.e. per host).
 */
export function parseClientRegistration(body: unknown, options: { withSecret?: boolean } = {}): Parsed<ClientRegistration & { client_secret?: string }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !REGISTRATION_FIELDS.has(key) && !(options.withSecret && key === 'client_secret'));
  if (unknown.length > 0) return fail(`unknown field(s): ${unknown.join(', ')}`);

  const name = input.client_name;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 200)) {
    return fail('client_name must be a non-empty string of at most 200 characters');
  }
  const redirectUris = parseUris(input.redirect_uris, 'redirect_uris', true);
  if (!redirectUris.ok) return redirectUris;
  const hosts = new Set(redirectUris.value.map((uri) => new URL(uri).host));
  if (hosts.size > 1) return fail('redirect_uris must all be on the same host (FranceConnect: one domain per service provider)', 'invalid_redirect_uri');
  const postLogout = parseUris(input.post_logout_redirect_uris, 'post_logout_redirect_uris', false);
  if (!postLogout.ok) return postLogout;

  const alg = input.id_token_signed_response_alg ?? 'ES256';
  if (typeof alg !== 'string' || !(SIGNING_ALGS as readonly string[]).includes(alg)) {
    return fail(`id_token_signed_response_alg must be one of ${SIGNING_ALGS.join(', ')}`);
  }

  let secret: string | undefined;
  if (options.withSecret) {
    if (typeof input.client_secret !== 'string' || !CLIENT_SECRET_PATTERN.test(input.client_secret)) {
      return fail('client_secret must be 32 to 256 printable ASCII characters');
    }
    secret = input.client_secret;
  }

  return {
    ok: true,
    value: {
      ...(name !== undefined ? { client_name: (name as string).trim() } : {}),
      redirect_uris: redirectUris.value,
      post_logout_redirect_uris: postLogout.value,
      id_token_signed_response_alg: alg as SigningAlg,
      ...(secret !== undefined ? { client_secret: secret } : {}),
    },
  };
}

export function isValidClientId(id: string): boolean {
  return CLIENT_ID_PATTERN.test(id);
}

/** Checks a client read back from a state file. */
export function isRegisteredClient(value: unknown): value is RegisteredClient {
  if (typeof value !== 'object' || value === null) return false;
  const { client_id: id, client_secret: secret, created_at: createdAt, ...registration } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !isValidClientId(id)) return false;
  if (typeof secret !== 'string' || !CLIENT_SECRET_PATTERN.test(secret)) return false;
  if (typeof createdAt !== 'string') return false;
  return parseClientRegistration(registration).ok;
}

/** 64 hexadecimal characters, the shape of FranceConnect's client ids and secrets. */
export function randomCredential(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The registered service providers, in memory; `persist` is called with the complete new list
 * before a change is applied, so a failed write changes nothing.
 */
export class ClientRegistry {
  readonly #clients = new Map<string, RegisteredClient>();
  readonly #persist: (clients: readonly RegisteredClient[]) => void;

  constructor(initial: readonly RegisteredClient[], persist: (clients: readonly RegisteredClient[]) => void) {
    for (const client of initial) this.#clients.set(client.client_id, client);
    this.#persist = persist;
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.#clients.get(clientId);
  }

  list(): RegisteredClient[] {
    return [...this.#clients.values()];
  }

  /** Registers a new client with random credentials. */
  register(registration: ClientRegistration): RegisteredClient {
    let clientId = randomCredential();
    while (this.#clients.has(clientId)) clientId = randomCredential();
    const client: RegisteredClient = { ...registration, client_id: clientId, client_secret: randomCredential(), created_at: new Date().toISOString() };
    this.#commit(new Map(this.#clients).set(clientId, client));
    return client;
  }

  /** Creates or replaces the client with these credentials (idempotent seeding). */
  put(clientId: string, clientSecret: string, registration: ClientRegistration): { client: RegisteredClient; created: boolean } {
    const previous = this.#clients.get(clientId);
    const client: RegisteredClient = { ...registration, client_id: clientId, client_secret: clientSecret, created_at: previous?.created_at ?? new Date().toISOString() };
    this.#commit(new Map(this.#clients).set(clientId, client));
    return { client, created: previous === undefined };
  }

  delete(clientId: string): boolean {
    if (!this.#clients.has(clientId)) return false;
    const next = new Map(this.#clients);
    next.delete(clientId);
    this.#commit(next);
    return true;
  }

  #commit(next: Map<string, RegisteredClient>): void {
    this.#persist([...next.values()]);
    this.#clients.clear();
    for (const [id, client] of next) this.#clients.set(id, client);
  }
}

/** The client metadata oidc-provider works with. */
export function oidcClientMetadata(client: RegisteredClient): Record<string, unknown> {
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    ...(client.client_name !== undefined ? { client_name: client.client_name } : {}),
    redirect_uris: [...client.redirect_uris],
    post_logout_redirect_uris: [...client.post_logout_redirect_uris],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: client.id_token_signed_response_alg,
    userinfo_signed_response_alg: client.id_token_signed_response_alg,
    subject_type: 'pairwise',
    require_auth_time: true,
    application_type: 'web',
  };
}

/** What the admin API shows of a client; the secret only when it was just set. */
export function publicView(client: RegisteredClient, options: { withSecret: boolean; issuer?: string }): Record<string, unknown> {
  return {
    client_id: client.client_id,
    ...(options.withSecret ? { client_secret: client.client_secret } : {}),
    ...(client.client_name !== undefined ? { client_name: client.client_name } : {}),
    redirect_uris: client.redirect_uris,
    post_logout_redirect_uris: client.post_logout_redirect_uris,
    id_token_signed_response_alg: client.id_token_signed_response_alg,
    userinfo_signed_response_alg: client.id_token_signed_response_alg,
    token_endpoint_auth_method: 'client_secret_post',
    created_at: client.created_at,
    ...(options.issuer ? { issuer: options.issuer } : {}),
  };
}
