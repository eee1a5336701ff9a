import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { migratedTestDataSource, testPlatformConfig } from '@fcplat/testing';
import { startApi, type ApiApp } from '../src/app.js';
import { builtFrontends } from '../src/http/frontends.js';

describe('serving the built front-ends', () => {
  const appsDir = mkdtempSync(join(tmpdir(), 'fcplat-frontends-'));
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;

  beforeAll(async () => {
    for (const name of ['console', 'portal']) {
      mkdirSync(join(appsDir, name, 'dist', 'assets'), { recursive: true });
      writeFileSync(join(appsDir, name, 'dist', 'index.html'), `<!doctype html><head><base href="/" data-fcplat-base><title>${name}</title></head><div id="app"></div>`);
      writeFileSync(join(appsDir, name, 'dist', 'assets', 'main-abc123.js'), `console.log(${JSON.stringify(name)})`);
    }
    await (await migratedTestDataSource()).destroy();
    const config = await testPlatformConfig();
    infrastructure = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, infrastructure, { heartbeat: false, frontends: builtFrontends(appsDir) });
  });

  afterAll(async () => {
    await api.close();
    await infrastructure.close();
    rmSync(appsDir, { recursive: true, force: true });
  });

  it('finds only front-ends that have an index.html', () => {
    expect(builtFrontends(join(appsDir, 'nowhere'))).toEqual([]);
    expect(builtFrontends(appsDir).map((f) => f.name)).toEqual(['console', 'portal']);
  });

  it('serves the console, with client-side routes falling back to index.html', async () => {
    for (const path of ['/console/', '/console/clients/123']) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>console</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await fetch(`${api.url}/console/assets/main-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('serves the portal under each tenant slug', async () => {
    const response = await fetch(`${api.url}/t/commune-de-test/profil`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>portal</title>');
    expect(html).toContain('<base href="/t/commune-de-test/" data-fcplat-base>');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await fetch(`${api.url}/t/Not_A_Slug/`)).status).toBe(404);
  });

  it('leaves the API routes alone', async () => {
    expect((await fetch(`${api.url}/api/nope`)).status).toBe(404);
  });
});
