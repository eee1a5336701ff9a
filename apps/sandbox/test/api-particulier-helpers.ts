/**
 * Helpers of the API Particulier stand-in's integration tests: serving a service on 127.0.0.1,
 * calling its routes, and getting a real FranceConnect access token from the FranceConnect
 * stand-in through the code flow (authorize → identity picker → token), like a relying party.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';

/** DINUM's SIRET, API Particulier staging's example recipient. */
export const RECIPIENT = '13002526500013';

export interface Served {
  readonly base: string;
  close(): Promise<void>;
}

/** Serves a handler on an ephemeral loopback port; `close()` ends every connection at once. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<Served> {
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface ErrorEntry {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly source: { readonly parameter: string } | null;
  readonly meta: Record<string, unknown>;
}

/** The single error of an error answer (the API's `{"errors":[…]}` format, checked). */
export function errorOf(answer: ApiAnswer): ErrorEntry {
  const body = answer.body as { errors?: ErrorEntry[] };
  expect(Object.keys(body)).toEqual(['errors']);
  expect(body.errors).toHaveLength(1);
  const entry = body.errors?.[0] as ErrorEntry;
  expect(Object.keys(entry).sort()).toEqual(['code', 'detail', 'meta', 'source', 'title']);
  expect(entry.code).toMatch(/^\d{5}$/);
  return entry;
}

export type Query = Record<string, string | readonly string[]>;

export function queryString(query: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const item of typeof value === 'string' ? [value] : value) search.append(name, item);
  return search.toString();
}

/** GET a route with a bearer (or none) and extra headers. */
export async function call(base: string, path: string, query: Query, bearer: string | null, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const qs = queryString(query);
  const response = await fetch(`${base}${path}${qs === '' ? '' : `?${qs}`}`, {
    headers: { accept: 'application/json', ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** POST JSON to an admin route. */
export async function admin(base: string, path: string, body: unknown, adminToken?: string, method = 'POST'): Promise<ApiAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

export interface StagingCase {
  /** The case file's params as the query of an `/identite` or `/ine` call (`prenoms[]` repeated). */
  readonly query: Record<string, string | string[]>;
  readonly status: number;
  /** The payload the stand-in must answer, parsed. */
  readonly payload: unknown;
}

/** A staging case file, read straight from `data/api-particulier/` (not through the stand-in's loader). */
export async function stagingCase(folder: string, file: string): Promise<StagingCase> {
  const document = parseYaml(await readFile(new URL(`../data/api-particulier/${folder}/${file}`, import.meta.url), 'utf8')) as {
    params: Record<string, unknown>;
    status: number;
    payload: string;
  };
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(document.params)) {
    if (Array.isArray(value)) query[`${name}[]`] = value.map(String);
    else query[name] = String(value);
  }
  return { query, status: document.status, payload: JSON.parse(document.payload) as unknown };
}

// ---------------------------------------------------------------- FranceConnect code flow

export interface FranceConnectClient {
  readonly client_id: string;
  readonly client_secret: string;
  readonly redirect_uri: string;
}

/** Registers a service provider at the FranceConnect stand-in (its sandbox admin API). */
export async function registerFranceConnectClient(franceConnectBase: string): Promise<FranceConnectClient> {
  const redirectUri = `https://commune-${randomBytes(4).toString('hex')}.example.fr/auth/franceconnect/callback`;
  const response = await fetch(`${franceConnectBase}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Mairie de test', redirect_uris: [redirectUri], post_logout_redirect_uris: [redirectUri.replace('/callback', '/logout/callback')] }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { client_id: string; client_secret: string };
  return { client_id: created.client_id, client_secret: created.client_secret, redirect_uri: redirectUri };
}

/** Cookies of one browser (the provider's cookies have distinct names). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.header(), accept: 'text/html' } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(pair.slice(0, index).trim());
      else this.cookies.set(pair.slice(0, index).trim(), value);
    }
    return response;
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function locationOf(response: Response, base: string): string {
  const value = response.headers.get('location');
  if (value === null) throw new Error(`no Location (status ${response.status})`);
  return new URL(value, base).href;
}

const random = (): string => randomBytes(24).toString('base64url');

/**
 * A real FranceConnect access token: authorize with `scope`, pick `identity` in the identity
 * picker, exchange the code (client_secret_post).
 */
export async function franceConnectAccessToken(issuer: string, client: FranceConnectClient, identity: string, scope: string): Promise<string> {
  const jar = new CookieJar();
  const params = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    response_type: 'code',
    scope,
    state: random(),
    nonce: random(),
    acr_values: 'eidas1',
  });
  const authorize = await jar.fetch(`${issuer}/authorize?${params.toString()}`);
  expect(authorize.status).toBe(303);
  const picker = locationOf(authorize, issuer);
  expect((await jar.fetch(picker)).status).toBe(200);
  const login = await jar.fetch(`${picker}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: identity }).toString(),
  });
  expect(login.status).toBe(303);
  const resume = await jar.fetch(locationOf(login, issuer));
  expect(resume.status).toBe(303);
  const code = new URL(locationOf(resume, issuer)).searchParams.get('code');
  if (code === null) throw new Error('no authorization code');
  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect_uri, client_id: client.client_id, client_secret: client.client_secret }).toString(),
  });
  expect(token.status).toBe(200);
  return ((await token.json()) as { access_token: string }).access_token;
}

/** Revokes a FranceConnect access token (RFC 7009 at the FranceConnect stand-in). */
export async function revokeFranceConnectToken(issuer: string, client: FranceConnectClient, token: string): Promise<void> {
  const response = await fetch(`${issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'access_token', client_id: client.client_id, client_secret: client.client_secret }).toString(),
  });
  expect(response.status).toBe(200);
}
