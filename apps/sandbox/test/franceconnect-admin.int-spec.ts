/**
 * The FranceConnect stand-in's sandbox-only client registration (`/admin/clients`), its state
 * file (clients and signing keys survive a restart), its issuer (fixed or per Host), and its
 * robustness against malformed calls — over real HTTP on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { franceConnectService, type FranceConnectOptions } from '../src/services/franceconnect.js';

interface Running {
  base: string;
  port: number;
  close: () => Promise<void>;
}

async function serve(options: FranceConnectOptions = {}): Promise<Running> {
  const service = franceConnectService({ clientsFile: null, ...options });
  const server: Server = createServer((req, res) => {
    Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const VALID = {
  client_name: 'Commune de Clamart',
  redirect_uris: ['https://clamart.example.fr/t/clamart/auth/franceconnect/callback'],
  post_logout_redirect_uris: ['https://clamart.example.fr/t/clamart/auth/franceconnect/logout/callback'],
};

function post(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A raw request with a chosen Host header (fetch does not let one set it). */
function rawGet(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('FranceConnect stand-in administration', () => {
  let running: Running;

  beforeAll(async () => {
    running = await serve();
  });

  afterAll(async () => {
    await running.close();
  });

  it('registers a client with random credentials and shows it without its secret', async () => {
    const created = await post(running.base, VALID);
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const client = (await created.json()) as Record<string, unknown>;
    expect(client).toMatchObject({
      ...VALID,
      id_token_signed_response_alg: 'ES256',
      userinfo_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_post',
      issuer: `${running.base}/api/v2`,
    });
    expect(client.client_id).toMatch(/^[0-9a-f]{64}$/);
    expect(client.client_secret).toMatch(/^[0-9a-f]{64}$/);
    const again = (await (await post(running.base, VALID)).json()) as Record<string, unknown>;
    expect(again.client_id).not.toBe(client.client_id);
    expect(again.client_secret).not.toBe(client.client_secret);

    const shown = await fetch(`${running.base}/admin/clients/${String(client.client_id)}`);
    expect(shown.status).toBe(200);
    const view = (await shown.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ client_id: client.client_id, ...VALID });
    expect(view).not.toHaveProperty('client_secret');
  });

  it('refuses invalid registrations with a 400 naming the problem', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...VALID, redirect_uris: ['https://clamart.example.fr/cb#frag'] }, 'fragment'],
      [{ ...VALID, redirect_uris: ['ftp://clamart.example.fr/cb'] }, 'http'],
      [{ ...VALID, redirect_uris: ['/relative'] }, 'absolute'],
      [{ ...VALID, redirect_uris: [] }, 'at least one'],
      [{ ...VALID, redirect_uris: 'https://clamart.example.fr/cb' }, 'array'],
      [{ ...VALID, redirect_uris: ['https://a.example.fr/cb', 'https://b.example.fr/cb'] }, 'same host'],
      [{ ...VALID, post_logout_redirect_uris: ['javascript:alert(1)'] }, 'http'],
      [{ ...VALID, id_token_signed_response_alg: 'HS256' }, 'ES256'],
      [{ ...VALID, client_name: '' }, 'client_name'],
      [{ ...VALID, client_secret: 'x'.repeat(40) }, 'unknown field'],
      [{ ...VALID, token_endpoint_auth_method: 'client_secret_basic' }, 'unknown field'],
      [[VALID], 'JSON object'],
    ];
    for (const [body, message] of cases) {
      const response = await post(running.base, body);
      expect(response.status).toBe(400);
      const error = (await response.json()) as { error: string; error_description: string };
      expect(error.error).toMatch(/^invalid_(client_metadata|redirect_uri)$/);
      expect(error.error_description).toContain(message);
    }
    expect((await post(running.base, '{not json')).status).toBe(400);
    expect((await post(running.base, 'client_name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(running.base, { ...VALID, client_name: 'x'.repeat(70 * 1024) })).status).toBe(413);
  });

  it('accepts RS256 and http redirect URIs (local development)', async () => {
    const response = await post(running.base, { redirect_uris: ['http://localhost:3000/t/demo/auth/franceconnect/callback'], id_token_signed_response_alg: 'RS256' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ id_token_signed_response_alg: 'RS256', post_logout_redirect_uris: [] });
  });

  it('upserts a client with given credentials (idempotent seeding) and deletes it', async () => {
    const id = 'demo-tenant-sandbox';
    const secret = 's'.repeat(48);
    const first = await fetch(`${running.base}/admin/clients/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...VALID, client_secret: secret }) });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ client_id: id, client_secret: secret });
    const second = await fetch(`${running.base}/admin/clients/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...VALID, client_name: 'Autre nom', client_secret: secret }) });
    expect(second.status).toBe(200);
    expect(await (await fetch(`${running.base}/admin/clients/${id}`)).json()).toMatchObject({ client_name: 'Autre nom' });
    const noSecret = await fetch(`${running.base}/admin/clients/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VALID) });
    expect(noSecret.status).toBe(400);
    const badId = await fetch(`${running.base}/admin/clients/a%20b`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...VALID, client_secret: secret }) });
    expect(badId.status).toBe(400);

    // The client works at the authorization endpoint, until it is deleted.
    const authorize = `${running.base}/api/v2/authorize?${new URLSearchParams({
      client_id: id,
      redirect_uri: VALID.redirect_uris[0] ?? '',
      response_type: 'code',
      scope: 'openid',
      state: 'a'.repeat(32),
      nonce: 'b'.repeat(32),
      acr_values: 'eidas1',
    }).toString()}`;
    expect((await fetch(authorize, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${running.base}/admin/clients/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${running.base}/admin/clients/${id}`)).status).toBe(404);
    expect((await fetch(`${running.base}/admin/clients/${id}`, { method: 'DELETE' })).status).toBe(404);
    const gone = await fetch(authorize, { redirect: 'manual' });
    expect(gone.status).toBe(400);
    expect(gone.headers.get('location')).toBeNull();
  });

  it('answers 405 for other methods', async () => {
    expect((await fetch(`${running.base}/admin/clients`)).status).toBe(405);
    expect((await fetch(`${running.base}/admin/clients/x`, { method: 'PATCH' })).status).toBe(405);
  });

  it('requires the admin token when one is configured', async () => {
    const guarded = await serve({ adminToken: 'sandbox-admin-token' });
    try {
      expect((await post(guarded.base, VALID)).status).toBe(401);
      expect((await post(guarded.base, VALID, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post(guarded.base, VALID, { authorization: 'Bearer sandbox-admin-token' })).status).toBe(201);
    } finally {
      await guarded.close();
    }
  });
});

describe('FranceConnect stand-in state file', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fc-sandbox-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps clients and signing keys across a restart', async () => {
    const file = join(dir, 'nested', 'franceconnect-clients.json');
    const first = await serve({ clientsFile: file });
    let clientId: string;
    let kids: string[];
    try {
      const created = (await (await post(first.base, VALID)).json()) as { client_id: string };
      clientId = created.client_id;
      kids = ((await (await fetch(`${first.base}/api/v2/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
    } finally {
      await first.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; clients: Array<{ client_id: string }> };
    expect(saved.version).toBe(1);
    expect(saved.clients.map((c) => c.client_id)).toEqual([clientId]);

    const second = await serve({ clientsFile: file });
    try {
      expect((await fetch(`${second.base}/admin/clients/${clientId}`)).status).toBe(200);
      const again = ((await (await fetch(`${second.base}/api/v2/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      expect(again).toEqual(kids);
      expect((await fetch(`${second.base}/admin/clients/${clientId}`, { method: 'DELETE' })).status).toBe(204);
    } finally {
      await second.close();
    }
    expect((JSON.parse(readFileSync(file, 'utf8')) as { clients: unknown[] }).clients).toEqual([]);
  });

  it('reads the file named by SANDBOX_FRANCECONNECT_CLIENTS_FILE by default', () => {
    const file = join(dir, 'from-env.json');
    const previous = process.env.SANDBOX_FRANCECONNECT_CLIENTS_FILE;
    process.env.SANDBOX_FRANCECONNECT_CLIENTS_FILE = file;
    try {
      franceConnectService();
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, clients: [] });
    } finally {
      if (previous === undefined) delete process.env.SANDBOX_FRANCECONNECT_CLIENTS_FILE;
      else process.env.SANDBOX_FRANCECONNECT_CLIENTS_FILE = previous;
    }
  });

  it('refuses to start on a corrupt file rather than overwrite it', () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{"version":1,"clients":[{"client_id":"x"}]');
    expect(() => franceConnectService({ clientsFile: file })).toThrow(/cannot read the state file/);
    writeFileSync(file, JSON.stringify({ version: 1, clients: [{ client_id: 'x' }], signing_keys: [] }));
    expect(() => franceConnectService({ clientsFile: file })).toThrow(/not a valid clients file/);
    expect(readFileSync(file, 'utf8')).toContain('"client_id":"x"');
  });
});

describe('FranceConnect stand-in issuer', () => {
  it('derives the issuer from the Host header, one per host, and refuses a bad Host', async () => {
    const running = await serve();
    try {
      const viaIp = JSON.parse((await rawGet(running.port, '/api/v2/.well-known/openid-configuration', `127.0.0.1:${running.port}`)).body) as { issuer: string };
      expect(viaIp.issuer).toBe(`http://127.0.0.1:${running.port}/api/v2`);
      const viaName = JSON.parse((await rawGet(running.port, '/api/v2/.well-known/openid-configuration', `fc.sandbox.test:${running.port}`)).body) as { issuer: string; token_endpoint: string };
      expect(viaName.issuer).toBe(`http://fc.sandbox.test:${running.port}/api/v2`);
      expect(viaName.token_endpoint).toBe(`http://fc.sandbox.test:${running.port}/api/v2/token`);
      const bad = await rawGet(running.port, '/api/v2/.well-known/openid-configuration', 'evil.example/<script>');
      expect(bad.status).toBe(400);
      // Many host names (the provider pool is bounded): the service keeps answering.
      for (let i = 0; i < 40; i += 1) expect((await rawGet(running.port, '/api/v2/jwks', `host${i}.test`)).status).toBe(200);
      expect((await rawGet(running.port, '/health', 'x.test')).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('runs a whole code flow under a fixed issuer reached through another host name', async () => {
    // The server listens first; the service is then built with the public issuer on its port.
    const slot: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    const server = createServer((req, res) => slot.handler?.(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = `http://localhost:${port}/api/v2`;
    const service = franceConnectService({ clientsFile: null, issuer });
    slot.handler = (req, res) => void Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
    try {
      const internal = `http://127.0.0.1:${port}`;
      const client = (await (await post(internal, VALID)).json()) as { client_id: string; client_secret: string; issuer: string };
      expect(client.issuer).toBe(issuer);
      const params = new URLSearchParams({
        client_id: client.client_id,
        redirect_uri: VALID.redirect_uris[0] ?? '',
        response_type: 'code',
        scope: 'openid identite_pivot',
        state: 's'.repeat(32),
        nonce: 'n'.repeat(32),
        acr_values: 'eidas1',
      });
      let cookie = '';
      const keep = (response: Response): Response => {
        const jar = new Map(cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0] ?? '', c] as const));
        for (const line of response.headers.getSetCookie()) jar.set(line.split('=')[0] ?? '', line.split(';')[0] ?? '');
        cookie = [...jar.values()].join('; ');
        return response;
      };
      const go = async (url: string, body?: Record<string, string>): Promise<URL> => {
        const response = keep(
          await fetch(url, {
            method: body ? 'POST' : 'GET',
            redirect: 'manual',
            headers: { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            ...(body ? { body: new URLSearchParams(body).toString() } : {}),
          }),
        );
        expect(response.status).toBe(303);
        return new URL(response.headers.get('location') ?? '', url);
      };
      // The browser reaches the service through the issuer's host name.
      const picker = await go(`${issuer}/authorize?${params.toString()}`);
      expect(picker.host).toBe(`localhost:${port}`);
      const resume = await go(`${picker.href}/login`, { login: 'test' });
      expect(resume.href.startsWith(`${issuer}/authorize/`)).toBe(true);
      const callback = await go(resume.href);
      expect(callback.searchParams.get('iss')).toBe(issuer);
      // The relying party's back channel uses another name for the same server.
      const tokens = (await (
        await fetch(`${internal}/api/v2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: VALID.redirect_uris[0] ?? '', client_id: client.client_id, client_secret: client.client_secret }).toString(),
        })
      ).json()) as { id_token: string };
      const jwks = createRemoteJWKSet(new URL(`${internal}/api/v2/jwks`));
      const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: client.client_id });
      expect(payload.acr).toBe('eidas1');
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('uses a fixed issuer when configured, and refuses a malformed one', async () => {
    const running = await serve({ issuer: 'https://fcp-low.sandbox.example/api/v2' });
    try {
      const doc = (await (await fetch(`${running.base}/api/v2/.well-known/openid-configuration`)).json()) as { issuer: string; authorization_endpoint: string };
      expect(doc.issuer).toBe('https://fcp-low.sandbox.example/api/v2');
      expect(doc.authorization_endpoint).toBe('https://fcp-low.sandbox.example/api/v2/authorize');
    } finally {
      await running.close();
    }
    expect(() => franceConnectService({ clientsFile: null, issuer: 'https://fcp-low.sandbox.example/' })).toThrow(/ending with \/api\/v2/);
    expect(() => franceConnectService({ clientsFile: null, issuer: 'not a url' })).toThrow(/not a URL/);
  });
});
