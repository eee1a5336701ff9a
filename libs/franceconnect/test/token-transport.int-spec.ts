/**
 * The token call's transport (node-oauth, as passport-openidconnect uses it) under SR-07, against
 * real servers on 127.0.0.1: `client_secret_post` body, TLS verified with a 1.2 floor (certificates
 * made at test time by `openssl`; those cases are skipped without it), a connect timeout that
 * fires when the handshake never completes, one callback per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createRequire } from 'node:module';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { opensslAvailable, selfSignedPair, type KeyPair } from '@fcplat/testing';
import { FranceConnectError } from '../src/index.js';
import { boundedAgents, guardTokenCall, type BoundedAgents, type OAuth2Like, type TokenCallback } from '../src/token-transport.js';

const require = createRequire(import.meta.url);
const { OAuth2 } = require('oauth') as { OAuth2: new (id: string, secret: string, base: string, authorize: string, token: string) => OAuth2Like };

interface Outcome {
  err: unknown;
  accessToken?: string | undefined;
  results?: Record<string, unknown> | undefined;
  calls: number;
  failure?: FranceConnectError | undefined;
  elapsedMs: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const TOKEN_BODY = JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token: 'a.b.c' });

function tokenHandler(seen: { body?: string; authorization?: string | undefined }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.body = body;
      seen.authorization = req.headers.authorization;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(TOKEN_BODY);
    });
  };
}

describe('bounded token transport', () => {
  let agents: BoundedAgents;
  const servers: Server[] = [];

  afterEach(async () => {
    agents?.destroy();
    await Promise.all(
      servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      ),
    );
  });

  async function call(tokenUrl: string, options: { ca?: string; timeoutMs?: number; connectTimeoutMs?: number } = {}): Promise<Outcome> {
    agents = boundedAgents({ maxSockets: 4, ca: options.ca });
    const base = new OAuth2('client-1', 'secret-1', '', `${tokenUrl.replace(/\/token$/, '')}/authorize`, tokenUrl);
    const startedAt = Date.now();
    return new Promise<Outcome>((resolve) => {
      const outcome: Outcome = { err: undefined, calls: 0, elapsedMs: 0 };
      const guarded = guardTokenCall(
        base,
        agents,
        { timeoutMs: options.timeoutMs ?? 2_000, connectTimeoutMs: options.connectTimeoutMs ?? 500, maxResponseBytes: 64 * 1024 },
        {
          failed: (error) => {
            outcome.failure ??= error;
          },
          inspect: () => undefined,
          crashed: (error) => {
            throw error;
          },
        },
      );
      const done: TokenCallback = (err, accessToken, _refresh, results) => {
        outcome.calls += 1;
        outcome.err = err;
        outcome.accessToken = accessToken;
        outcome.results = results;
        outcome.elapsedMs = Date.now() - startedAt;
        // Wait a little: a second delivery would show up here.
        setTimeout(() => resolve(outcome), 150);
      };
      guarded.getOAuthAccessToken('the-code', { grant_type: 'authorization_code', redirect_uri: 'https://portal.example.fr/cb' }, done);
    });
  }

  it('posts client_secret_post credentials (never an Authorization header) and delivers the tokens once', async () => {
    const seen: { body?: string; authorization?: string | undefined } = {};
    const server = createHttpServer(tokenHandler(seen));
    servers.push(server);
    const port = await listen(server);
    const outcome = await call(`http://127.0.0.1:${port}/token`);
    expect(outcome).toMatchObject({ err: null, accessToken: 'at', calls: 1 });
    expect(outcome.results).toMatchObject({ id_token: 'a.b.c', token_type: 'Bearer' });
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      grant_type: 'authorization_code',
      redirect_uri: 'https://portal.example.fr/cb',
      client_id: 'client-1',
      client_secret: 'secret-1',
      code: 'the-code',
    });
    expect(seen.authorization).toBeUndefined();
  });

  it('gives up on a handshake that never completes after the connect timeout, once', async () => {
    const silent = createNetServer((socket) => socket.resume());
    servers.push(silent);
    const port = await listen(silent);
    const outcome = await call(`https://127.0.0.1:${port}/token`, { connectTimeoutMs: 300, timeoutMs: 5_000 });
    expect(outcome.calls).toBe(1);
    expect(outcome.failure).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'token_connect_timeout' });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(280);
    expect(outcome.elapsedMs).toBeLessThan(1_500);
  });

  const describeTls = opensslAvailable() ? describe : describe.skip;

  describeTls('over TLS', () => {
    let dir: string;
    let pair: KeyPair;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'fcplat-fc-tls-'));
      pair = selfSignedPair(dir, 'localhost', 'DNS:localhost,IP:127.0.0.1');
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function httpsServer(extra: ServerOptions = {}): Promise<number> {
      const server = createHttpsServer({ key: pair.key, cert: pair.cert, ...extra }, tokenHandler({}));
      server.on('tlsClientError', () => undefined);
      servers.push(server);
      return listen(server);
    }

    it('talks TLS >= 1.2 to a trusted provider', async () => {
      const port = await httpsServer();
      const outcome = await call(`https://127.0.0.1:${port}/token`, { ca: pair.cert });
      expect(outcome).toMatchObject({ err: null, accessToken: 'at', calls: 1 });
    });

    it('refuses an untrusted certificate', async () => {
      const port = await httpsServer();
      const outcome = await call(`https://127.0.0.1:${port}/token`);
      expect(outcome.calls).toBe(1);
      expect(outcome.failure).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(outcome.failure?.reason).toMatch(/^token_network_(depth_zero_self_signed_cert|self_signed_cert_in_chain|unable_to_verify_leaf_signature)$/);
      expect(outcome.accessToken).toBeUndefined();
    });

    it('refuses a provider offering nothing above TLS 1.1', async () => {
      const port = await httpsServer({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
      const outcome = await call(`https://127.0.0.1:${port}/token`, { ca: pair.cert });
      expect(outcome.calls).toBe(1);
      expect(outcome.failure).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(outcome.failure?.reason).toMatch(/^token_network_(eproto|err_ssl_[a-z_]+)$/);
      expect(outcome.accessToken).toBeUndefined();
      // Whether this OpenSSL can still speak TLS 1.1 or not, a permissive client shows the server
      // is up and the refusal above comes from the agent's floor.
      const legacy = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ca: pair.cert, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
        socket.once('secureConnect', () => {
          resolve(String(socket.getProtocol()));
          socket.destroy();
        });
        socket.once('error', () => resolve('unavailable'));
      });
      expect(['TLSv1.1', 'TLSv1', 'unavailable']).toContain(legacy);
    });
  });
});
