import SwaggerParser from '@apidevtools/swagger-parser';
import type { PlatformConfig } from '@fcplat/config';
import { WorkerHost, heartbeatProcessor, openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { LogCapture, eventually, migratedTestDataSource, testPlatformConfig } from '@fcplat/testing';
import { startApi, type ApiApp } from '../src/app.js';

describe('API over real HTTP, PostgreSQL and Redis', () => {
  const logs = new LogCapture();
  let config: PlatformConfig;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;

  beforeAll(async () => {
    await (await migratedTestDataSource()).destroy();
    config = await testPlatformConfig({ HEARTBEAT_INTERVAL_SECONDS: '1' });
    infrastructure = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, infrastructure, { logDestination: logs });
  });

  afterAll(async () => {
    await api.close();
    await infrastructure.close();
  });

  it('answers liveness', async () => {
    const response = await fetch(`${api.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness with database and queue details', async () => {
    const response = await fetch(`${api.url}/api/health/ready`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' }, worker: { status: expect.stringMatching(/^(up|stale|unknown)$/) } },
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('reports the worker up once a heartbeat went through it', async () => {
    const host = new WorkerHost({ backend: infrastructure.queueBackend, dataSource: infrastructure.dataSource, processors: [heartbeatProcessor] });
    await host.start();
    try {
      const body = await eventually(async () => {
        const ready = (await (await fetch(`${api.url}/api/health/ready`)).json()) as { checks: { worker: { status: string } } };
        return ready.checks.worker.status === 'up' ? ready : null;
      }, 15_000, 'worker heartbeat');
      expect(body.checks.worker).toMatchObject({ status: 'up', ageSeconds: expect.any(Number) });
    } finally {
      await host.stop();
    }
  });

  it('publishes a valid OpenAPI 3 document and a browsable UI', async () => {
    const response = await fetch(`${api.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/health/ready']));
    const ui = await fetch(`${api.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await fetch(`${api.url}/api/nope?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as { requestId?: string };
    expect(body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', instance: '/api/nope', type: 'urn:fcplat:error:ROUTE_NOT_FOUND' });
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('refuses a 2 MB JSON body with 413', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(2 * 1024 * 1024) });
    const response = await fetch(`${api.url}/api/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses malformed JSON with 400 and other content types with 415', async () => {
    const malformed = await fetch(`${api.url}/api/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    const text = await fetch(`${api.url}/api/health`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('sends security headers and no framework banner', async () => {
    const response = await fetch(`${api.url}/api/health`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
    const kept = await fetch(`${api.url}/api/health`, { headers: { 'x-request-id': 'proxy-1234-abcd' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-1234-abcd');
    const replaced = await fetch(`${api.url}/api/health`, { headers: { 'x-request-id': 'bad id with spaces!' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs requests as JSON with their id, never an authorization header, cookie or callback code', async () => {
    const response = await fetch(`${api.url}/api/health/ready?code=CALLBACK-CODE-789&state=STATE-VALUE-000&page=2`, {
      headers: { authorization: 'Bearer SECRET-TOKEN-123', cookie: 'sid=COOKIE-VALUE-456', 'x-request-id': 'log-check-0001' },
    });
    expect(response.status).toBe(200);
    await fetch(`${api.url}/api/health`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer SECRET-TOKEN-123' }, body: '{oops' });
    const entry = await eventually(async () => logs.entries().find((e) => (e.req as { id?: string } | undefined)?.id === 'log-check-0001'), 5_000, 'request log line');
    expect(entry).toMatchObject({ level: 30, req: { method: 'GET', url: expect.stringContaining('page=2') }, res: { statusCode: 200 } });
    expect(logs.entries()).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'request refused', code: 'MALFORMED_BODY', statusCode: 400 })]));
    for (const secret of ['SECRET-TOKEN-123', 'COOKIE-VALUE-456', 'CALLBACK-CODE-789', 'STATE-VALUE-000']) {
      expect(logs.text).not.toContain(secret);
    }
  });
});
