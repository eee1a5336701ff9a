/**
 * SR-07 against real node:http servers on 127.0.0.1: timeouts that destroy the socket, bounded
 * bodies, no redirect following, typed errors without secrets; SR-33 with a real 429 + Retry-After.
 */
import { performance } from 'node:perf_hooks';
import {
  OutboundAbortedError,
  OutboundInvalidRequestError,
  OutboundNetworkError,
  OutboundRedirectError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
  assertOk,
  request,
  retry,
} from '@fcplat/outbound-http';
import { closedPort, startHttpServer, startSilentTcpServer, type TestServer } from './servers.js';

const servers: TestServer[] = [];
async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('request: the happy path', () => {
  it('returns status, headers and the body, with text() and json()', async () => {
    const server = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Seen-Length': String(req.headers['content-length']) });
        res.end(JSON.stringify({ method: req.method, url: req.url, body, ua: req.headers['user-agent'] }));
      });
    });
    const response = await request({
      method: 'post',
      url: `${server.url}/echo?x=1`,
      headers: { 'User-Agent': 'fcplat-test', 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.header('X-Seen-Length')).toBe('7');
    expect(response.json()).toEqual({ method: 'POST', url: '/echo?x=1', body: '{"a":1}', ua: 'fcplat-test' });
    expect(response.text()).toContain('"method":"POST"');
    expect(response.target).toBe(`POST ${server.url}/echo`);
  });

  it('resolves non-2xx answers; assertOk turns them into typed status errors', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'Retry-After': '3' });
      res.end('maintenance');
    });
    const response = await request({ url: server.url });
    expect(response.ok).toBe(false);
    expect(() => assertOk(response)).toThrow(expect.objectContaining({ code: 'OUTBOUND_HTTP_STATUS', status: 503, retryAfterMs: 3000, retryable: true }));
  });
});

describe('request: timeouts really abort', () => {
  it('total timeout on a server that never answers, and the socket is destroyed', async () => {
    const server = await serve(() => undefined);
    const started = performance.now();
    const error = await request({ url: `${server.url}/slow`, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect(error).toMatchObject({ code: 'OUTBOUND_TIMEOUT', phase: 'total', retryable: true });
    expect(performance.now() - started).toBeLessThan(1000);
    await server.allSocketsClosed();
  });

  it('total timeout also covers a body that trickles in', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const error = await request({ url: server.url, timeoutMs: 250 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_TIMEOUT', phase: 'total' });
    await server.allSocketsClosed();
  });

  it('connect timeout when the TLS handshake never completes', async () => {
    const silent = await startSilentTcpServer();
    servers.push(silent);
    const error = await request({ url: `${silent.url}/`, connectTimeoutMs: 150, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect(error).toMatchObject({ phase: 'connect', timeoutMs: 150 });
    await silent.allSocketsClosed();
  });

  it('aborts on the caller’s signal and destroys the socket', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(request({ url: server.url, signal: controller.signal })).rejects.toBeInstanceOf(OutboundAbortedError);
    await server.allSocketsClosed();
  });
});

describe('request: bounded responses', () => {
  it('cuts a chunked body past maxResponseBytes and destroys the socket', async () => {
    let written = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 120);
      const pump = (): void => {
        while (written < 20 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const error = await request({ url: server.url, maxResponseBytes: 100_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundResponseTooLargeError);
    expect(error).toMatchObject({ code: 'OUTBOUND_RESPONSE_TOO_LARGE', maxBytes: 100_000, retryable: false });
    await server.allSocketsClosed();
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses an announced Content-Length above the limit before reading', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(50 * 1024 * 1024) });
      res.write('x');
    });
    const error = await request({ url: server.url, maxResponseBytes: 1024 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_RESPONSE_TOO_LARGE', observedBytes: 50 * 1024 * 1024 });
    await server.allSocketsClosed();
  });

  it('reports a body cut short by the server as a network error', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const error = await request({ url: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundNetworkError);
    expect(error).toMatchObject({ retryable: true });
  });
});

describe('request: redirects are not followed', () => {
  it('rejects a 3xx by default, naming only the Location origin', async () => {
    let hits = 0;
    const server = await serve((_req, res) => {
      hits += 1;
      res.writeHead(302, { Location: 'https://evil.example/steal?token=abc' });
      res.end();
    });
    const error = await request({ url: `${server.url}/start` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRedirectError);
    expect(error).toMatchObject({ status: 302, locationOrigin: 'https://evil.example', retryable: false });
    expect((error as Error).message).not.toContain('token');
    expect(hits).toBe(1);
  });

  it('returns the 3xx as is with redirect: manual', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { Location: '/elsewhere' });
      res.end();
    });
    const response = await request({ url: server.url, redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.header('location')).toBe('/elsewhere');
  });
});

describe('request: errors carry no secret', () => {
  it('never puts header values or the query string in messages', async () => {
    const server = await serve(() => undefined);
    const error = await request({
      url: `${server.url}/v3/path?recipient=13002526500013&token=query-secret`,
      headers: { Authorization: 'Bearer super-secret-token', 'X-Api-Key': 'api-key-secret' },
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    const dump = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
    for (const secret of ['super-secret-token', 'api-key-secret', 'query-secret', 'recipient=']) {
      expect(dump).not.toContain(secret);
    }
    expect((error as { target: string }).target).toBe(`GET ${server.url}/v3/path`);
  });

  it('classifies a refused connection as a retryable network error', async () => {
    const port = await closedPort();
    const error = await request({ url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_NETWORK_ERROR', systemCode: 'ECONNREFUSED', retryable: true });
  });

  it('refuses unsupported schemes, credentials in URLs and bad budgets without any call', async () => {
    await expect(request({ url: 'ftp://127.0.0.1/' })).rejects.toBeInstanceOf(OutboundInvalidRequestError);
    await expect(request({ url: 'https://user:pw@127.0.0.1/' })).rejects.toBeInstanceOf(OutboundInvalidRequestError);
    await expect(request({ url: 'http://127.0.0.1/', timeoutMs: 0 })).rejects.toBeInstanceOf(OutboundInvalidRequestError);
    await expect(request({ url: 'http://127.0.0.1/', headers: { 'X-Bad': 'a\nb' } })).rejects.toBeInstanceOf(OutboundInvalidRequestError);
  });
});

describe('retry over real HTTP', () => {
  it('waits the Retry-After of a 429 before trying again', async () => {
    const arrivals: number[] = [];
    const server = await serve((_req, res) => {
      arrivals.push(performance.now());
      if (arrivals.length === 1) {
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
        res.end('{"erreur":"Trop de requêtes"}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    const attempts: number[] = [];
    const response = await retry(async ({ attempt }) => {
      attempts.push(attempt);
      return assertOk(await request({ url: server.url }));
    });
    expect(response.json()).toEqual({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(990);
    // The 429 wait did not consume an attempt.
    expect(attempts).toEqual([1, 1]);
  });

  it('retries a 500 with backoff, never a 404', async () => {
    let calls = 0;
    const flaky = await serve((_req, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 500 : 200);
      res.end();
    });
    await retry(async () => assertOk(await request({ url: flaky.url })), { baseDelayMs: 10 });
    expect(calls).toBe(2);

    let missing = 0;
    const notFound = await serve((_req, res) => {
      missing += 1;
      res.writeHead(404);
      res.end();
    });
    await expect(retry(async () => assertOk(await request({ url: notFound.url })), { baseDelayMs: 10 })).rejects.toMatchObject({
      status: 404,
    });
    expect(missing).toBe(1);
  });

  it('retries a timeout, then gives up after maxAttempts', async () => {
    let calls = 0;
    const server = await serve(() => {
      calls += 1;
    });
    await expect(
      retry(async () => assertOk(await request({ url: server.url, timeoutMs: 80 })), { maxAttempts: 2, baseDelayMs: 10 }),
    ).rejects.toBeInstanceOf(OutboundTimeoutError);
    expect(calls).toBe(2);
  });
});
