import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { migratedTestDataSource, testPlatformConfig } from '@fcplat/testing';
import { startApi, type ApiApp } from '../src/app.js';
import { acceptedEncodings, builtFrontends } from '../src/http/frontends.js';
import { precompressDirectory } from '../../../tools/build/precompress.js';

/** A GET that neither asks for nor undoes any compression by itself (fetch would do both). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const BIG_SCRIPT = Array.from({ length: 400 }, (_, i) => `export const value${i} = ${JSON.stringify(`valeur numéro ${i}`)};`).join('\n');
const BIG_STYLE = Array.from({ length: 200 }, (_, i) => `.c${i} { color: #${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}; }`).join('\n');

describe('serving the built front-ends', () => {
  const appsDir = mkdtempSync(join(tmpdir(), 'fcplat-frontends-'));
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;

  beforeAll(async () => {
    for (const name of ['console', 'portal']) {
      mkdirSync(join(appsDir, name, 'dist', 'assets'), { recursive: true });
      writeFileSync(join(appsDir, name, 'dist', 'index.html'), `<!doctype html><head><base href="/" data-fcplat-base><title>${name}</title></head><div id="app"></div>`);
      writeFileSync(join(appsDir, name, 'dist', 'assets', 'main-abc123.js'), `console.log(${JSON.stringify(name)})`);
      writeFileSync(join(appsDir, name, 'dist', 'assets', 'vendor-def456.js'), BIG_SCRIPT);
      writeFileSync(join(appsDir, name, 'dist', 'assets', 'style-789.css'), BIG_STYLE);
      precompressDirectory(join(appsDir, name, 'dist', 'assets'));
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

  it('serves the build-time Brotli or gzip variant of an asset to a browser that accepts it, the plain file otherwise', async () => {
    for (const base of [`${api.url}/console/assets`, `${api.url}/t/commune-de-test/assets`]) {
      const brotli = await rawGet(`${base}/vendor-def456.js`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
      expect(brotli.status).toBe(200);
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotli.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);
      expect(brotli.headers['cache-control']).toContain('immutable');
      expect(brotliDecompressSync(brotli.body).toString()).toBe(BIG_SCRIPT);
      expect(brotli.body.length).toBeLessThan(Buffer.byteLength(BIG_SCRIPT) / 3);

      const gzip = await rawGet(`${base}/style-789.css`, { 'Accept-Encoding': 'gzip;q=1, br;q=0' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers['content-type']).toMatch(/^text\/css/);
      expect(gunzipSync(gzip.body).toString()).toBe(BIG_STYLE);

      const plain = await rawGet(`${base}/vendor-def456.js`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
      expect(plain.body.toString()).toBe(BIG_SCRIPT);

      // Too small to be worth it: no variant, served as is whatever the browser accepts.
      const small = await rawGet(`${base}/main-abc123.js`, { 'Accept-Encoding': 'br' });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(small.headers['cache-control']).toContain('immutable');

      // A chunk that is not there (an old release's) is a 404, not the page.
      expect((await rawGet(`${base}/nope-000.js`, { 'Accept-Encoding': 'br' })).status).toBe(404);
    }
  });

  it('reads Accept-Encoding with its weights', () => {
    expect([...acceptedEncodings('gzip, deflate, br')]).toEqual(['gzip', 'deflate', 'br']);
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip']);
    expect([...acceptedEncodings(' BR ; Q=1 ,')]).toEqual(['br']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });

  it('leaves the API routes alone', async () => {
    expect((await fetch(`${api.url}/api/nope`)).status).toBe(404);
  });
});
