/**
 * `beforeSend` against real servers on 127.0.0.1: awaited once the connection is open (after the
 * TLS handshake on https, at once on a pooled socket), before the request's first byte; a
 * rejection fails the call with that very error and sends nothing; its signal fires when the call
 * ends while it waits (total timeout, the caller's abort), so that a rate-limit count stops.
 */
import { Agent, createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSecureContext } from 'node:tls';
import { OutboundAbortedError, OutboundTimeoutError, request } from '@fcplat/outbound-http';
import { opensslAvailable, selfSignedPair } from '@fcplat/testing';
import { startHttpServer, startServer, type TestServer } from './servers.js';

const servers: TestServer[] = [];

/** An HTTP server that logs, in order, the connections it accepts and the requests it reads. */
async function loggingServer(log: string[]): Promise<TestServer> {
  const server = await startHttpServer((req, res) => {
    log.push(`request ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  servers.push(server);
  return server;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5_000) throw new Error(`still waiting for ${what}`);
    await sleep(5);
  }
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('request: beforeSend', () => {
  it('writes the request only once beforeSend resolved, on a connection already accepted', async () => {
    const log: string[] = [];
    const server = await loggingServer(log);
    const response = await request({
      url: `${server.url}/counted`,
      beforeSend: async () => {
        // The server accepted the connection, and nothing of the request came while this waits.
        await until(() => server.sockets.length === 1, 'the connection');
        await sleep(100);
        log.push('counted');
      },
    });
    expect(response.json()).toEqual({ ok: true });
    expect(log).toEqual(['counted', 'request /counted']);
  });

  it('sends a body after beforeSend too', async () => {
    const bodies: string[] = [];
    const server = await startHttpServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(text);
        res.writeHead(204).end();
      });
    });
    servers.push(server);
    const response = await request({ method: 'POST', url: server.url, body: '{"a":1}', headers: { 'Content-Type': 'application/json' }, beforeSend: () => sleep(20) });
    expect(response.status).toBe(204);
    expect(bodies).toEqual(['{"a":1}']);
  });

  it('is awaited at once on a pooled socket, for every request that reuses it', async () => {
    const log: string[] = [];
    // Keep-alive long enough for the agent to pool the socket (Node drops sockets the server
    // announces it keeps for a second or less).
    const server = await startServer(
      createHttpServer({ keepAliveTimeout: 5_000 }, (req, res) => {
        log.push(`request ${req.url}`);
        res.writeHead(200).end();
      }),
      'http',
    );
    servers.push(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const path of ['/first', '/second']) {
        await request({ url: `${server.url}${path}`, agent, beforeSend: async () => void log.push(`counted ${path}`) });
      }
    } finally {
      agent.destroy();
    }
    expect(log).toEqual(['counted /first', 'request /first', 'counted /second', 'request /second']);
    expect(server.sockets).toHaveLength(1);
  });

  it('fails the call with beforeSend’s own error, sends nothing and closes the connection', async () => {
    const log: string[] = [];
    const server = await loggingServer(log);
    class Refused extends Error {}
    const refusal = new Refused('window full');
    const error = await request({ url: server.url, beforeSend: () => Promise.reject(refusal) }).catch((e: unknown) => e);
    expect(error).toBe(refusal);
    await server.allSocketsClosed();
    expect(log).toEqual([]);
  });

  it('tells beforeSend when the total timeout ends the call while it waits; nothing is sent', async () => {
    const log: string[] = [];
    const server = await loggingServer(log);
    let abandoned = false;
    const error = await request({
      url: server.url,
      timeoutMs: 150,
      beforeSend: (signal) =>
        new Promise<void>((resolve) => {
          // A count that would have been granted later: the call is over by then.
          signal.addEventListener('abort', () => {
            abandoned = true;
            setTimeout(resolve, 20);
          });
        }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect(error).toMatchObject({ phase: 'total' });
    expect(abandoned).toBe(true);
    await sleep(50);
    await server.allSocketsClosed();
    expect(log).toEqual([]);
  });

  it('tells beforeSend when the caller aborts while it waits', async () => {
    const log: string[] = [];
    const server = await loggingServer(log);
    const controller = new AbortController();
    let abandoned = false;
    const pending = request({
      url: server.url,
      signal: controller.signal,
      beforeSend: (signal) => new Promise<void>(() => signal.addEventListener('abort', () => (abandoned = true))),
    }).catch((e: unknown) => e);
    await until(() => server.sockets.length === 1, 'the connection');
    controller.abort();
    expect(await pending).toBeInstanceOf(OutboundAbortedError);
    expect(abandoned).toBe(true);
    await server.allSocketsClosed();
    expect(log).toEqual([]);
  });

  it('is not awaited when the connection cannot be opened', async () => {
    const server = await loggingServer([]);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    let called = false;
    const error = await request({ url: server.url, beforeSend: async () => void (called = true) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_NETWORK_ERROR' });
    expect(called).toBe(false);
  });
});

const describeTls = opensslAvailable() ? describe : describe.skip;

describeTls('request: beforeSend over TLS', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fcplat-before-send-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is awaited only once the TLS handshake is over', async () => {
    const pair = selfSignedPair(dir, 'localhost', 'DNS:localhost,IP:127.0.0.1');
    const context = createSecureContext({ key: pair.key, cert: pair.cert });
    let handshakeGoesOn = false;
    const server = createHttpsServer(
      {
        key: pair.key,
        cert: pair.cert,
        // The server holds its half of the handshake for 150 ms (asked the certificate for the
        // client's SNI), then lets it go on: a count taken before that would be taken too early.
        SNICallback: (_name, done) => {
          setTimeout(() => {
            handshakeGoesOn = true;
            done(null, context);
          }, 150);
        },
      },
      (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"secure":true}'),
    );
    const running = await startServer(server, 'https');
    servers.push(running);
    let handshakeOverAtCount: boolean | undefined;
    const response = await request({
      url: `https://localhost:${running.port}/`,
      ca: pair.cert,
      beforeSend: async () => {
        handshakeOverAtCount = handshakeGoesOn;
      },
    });
    expect(response.json()).toEqual({ secure: true });
    expect(handshakeOverAtCount).toBe(true);
  });
});
