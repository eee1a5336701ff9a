#!/usr/bin/env node
// Benchmark (issue: FranceConnect relying party): N complete FranceConnect logins across 100
// tenants — portal login route → sandbox authorize → identity picker → callback → citizen session —
// against the built API (a separate process) and the sandbox FranceConnect; beside it, the same
// protocol flow run directly against the sandbox by a bare client (authorize, picker, token,
// userinfo, no checks), so the difference is the platform's own overhead. Writes
// docs/benchmarks/franceconnect-logins.md. Usage: npm run build && node tools/bench/franceconnect-logins.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchDatabase, freePort, percentile, staffToken, startApi } from './harness.mjs';
import { startSandbox } from '../../apps/sandbox/dist/index.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const IDENTITIES = ['test', 'avec_nom_dusage', 'nom_composé', 'plusieurs_prénoms_2', 'prénom_composé'];

/** A minimal browser: one cookie jar per origin, redirects followed by hand. */
class Browser {
  jars = new Map();
  /** Each simulated citizen comes from its own address (sent as X-Forwarded-For to the API, which
   * trusts one proxy hop here), so the per-IP rate limits of the portal (SR-12) apply per citizen. */
  constructor(clientIp) {
    this.clientIp = clientIp;
  }
  async request(method, href, form) {
    const url = new URL(href);
    const jar = this.jars.get(url.host) ?? new Map();
    this.jars.set(url.host, jar);
    const headers = {};
    if (this.clientIp && url.host === API_HOST) headers['x-forwarded-for'] = this.clientIp;
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    await response.arrayBuffer();
    return response;
  }
}

function next(response, base) {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, base).href;
}

/** authorize → picker → login → resume; returns the redirect_uri URL with code and state. */
async function throughProvider(browser, authorizeUrl, issuer, login) {
  const interaction = next(await browser.request('GET', authorizeUrl), issuer);
  await browser.request('GET', interaction);
  const resume = next(await browser.request('POST', `${interaction}/login`, { login, password: '123' }), issuer);
  return next(await browser.request('GET', resume), issuer);
}

async function runPool(count, task) {
  let index = 0;
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (index < count) {
      const i = index;
      index += 1;
      await task(i);
    }
  });
  const started = performance.now();
  await Promise.all(workers);
  return performance.now() - started;
}

let API_HOST = '';
const ipOf = (i) => `198.51.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v) => Math.round(v * 10) / 10;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};

const database = await benchDatabase();
const sandbox = await startSandbox();
let api;
try {
  const fcBase = sandbox.url('franceconnect');
  const issuer = `${fcBase}/api/v2`;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  api = await startApi(database.url, { PORT: String(port), PUBLIC_URL: publicUrl, NODE_ENV: 'development', ALLOW_CUSTOM_ENDPOINTS: 'true', TRUST_PROXY_HOPS: '1' });
  API_HOST = new URL(api.url).host;
  const authorization = await staffToken(database.url);
  const headers = { authorization, 'content-type': 'application/json' };

  // 100 tenants, each with its own sandbox client stored in the vault.
  const slugs = [];
  for (let i = 0; i < TENANTS; i += 1) {
    const siret = `98${String(i).padStart(11, '0')}`;
    let sum = 0;
    for (let k = 0; k < 13; k += 1) {
      let d = Number(siret[12 - k]);
      if (k % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    const created = await fetch(`${api.url}/api/tenants`, { method: 'POST', headers, body: JSON.stringify({ siret: `${siret}${(10 - (sum % 10)) % 10}`, name: `Commune bench ${i}`, slug: `bench-${i}` }) });
    if (created.status !== 201) throw new Error(`tenant creation: ${created.status} ${await created.text()}`);
    const tenant = await created.json();
    const uris = await (await fetch(`${api.url}/api/tenants/${tenant.id}/franceconnect/uris`, { headers })).json();
    const client = await (await fetch(`${fcBase}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: tenant.name, redirect_uris: [uris.redirectUri], post_logout_redirect_uris: [uris.postLogoutRedirectUri] }) })).json();
    const stored = await fetch(`${api.url}/api/tenants/${tenant.id}/credentials/franceconnect/custom`, { method: 'PUT', headers, body: JSON.stringify({ clientId: client.client_id, clientSecret: client.client_secret, signingAlgorithm: 'ES256', issuerUrl: issuer }) });
    if (stored.status !== 200) throw new Error(`credentials: ${stored.status} ${await stored.text()}`);
    const live = await fetch(`${api.url}/api/tenants/${tenant.id}/environments/franceconnect`, { method: 'PUT', headers, body: JSON.stringify({ environment: 'custom' }) });
    if (live.status !== 200) throw new Error(`live environment: ${live.status} ${await live.text()}`);
    slugs.push(tenant.slug);
  }

  // Warm-up: one login per tenant (discovery, JWKS and strategies cached, citizens created).
  const platformLogin = async (i, timings) => {
    const slug = slugs[i % slugs.length];
    const browser = new Browser(ipOf(i + (timings ? slugs.length : 0)));
    const authorize = next(await browser.request('GET', `${api.url}/t/${slug}/auth/franceconnect/login?purpose=login`), api.url);
    const callback = await throughProvider(browser, authorize, issuer, IDENTITIES[i % IDENTITIES.length]);
    const started = performance.now();
    const back = await browser.request('GET', callback);
    const elapsed = performance.now() - started;
    const landing = next(back, api.url);
    if (!landing.includes('/profil')) throw new Error(`login ${i} landed on ${landing}`);
    timings?.push(elapsed);
  };
  await runPool(slugs.length, (i) => platformLogin(i));

  const callbackTimes = [];
  const platformMs = await runPool(LOGINS, (i) => platformLogin(i, callbackTimes));

  // The sandbox alone: one bare client doing the same protocol steps itself.
  const bare = await (await fetch(`${fcBase}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'bench', redirect_uris: ['http://127.0.0.1:9/cb'] }) })).json();
  const bareTimes = [];
  const bareLogin = async (i) => {
    const browser = new Browser();
    const random = () => Math.random().toString(36).slice(2).padEnd(12, 'x');
    const params = new URLSearchParams({ client_id: bare.client_id, redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope: 'openid given_name family_name birthdate gender birthplace birthcountry email', state: random() + random() + random(), nonce: random() + random() + random(), acr_values: 'eidas1' });
    const callback = new URL(await throughProvider(browser, `${issuer}/authorize?${params}`, issuer, IDENTITIES[i % IDENTITIES.length]));
    const started = performance.now();
    const token = await (await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: 'http://127.0.0.1:9/cb', client_id: bare.client_id, client_secret: bare.client_secret }) })).json();
    await (await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${token.access_token}` } })).text();
    bareTimes.push(performance.now() - started);
  };
  await runPool(20, bareLogin);
  bareTimes.length = 0;
  const bareMs = await runPool(LOGINS, bareLogin);

  const platform = { perSecond: Math.round((LOGINS / platformMs) * 1000 * 10) / 10, ...stats(callbackTimes) };
  const alone = { perSecond: Math.round((LOGINS / bareMs) * 1000 * 10) / 10, ...stats(bareTimes) };
  const lines = [
    '# Benchmark: complete FranceConnect logins across 100 tenants',
    '',
    `Generated by \`node tools/bench/franceconnect-logins.mjs\` (after \`npm run build\`) on ${new Date().toISOString().slice(0, 10)}:`,
    `${cpus().length} cores, Node ${process.version}. The built API runs as a separate process on PostgreSQL; the sandbox`,
    'FranceConnect and the load generator share the benchmark process (so the sandbox competes with the client for a core).',
    `${LOGINS} logins after one warm-up login per tenant, ${CONCURRENCY} browsers at a time, each login a fresh browser (cookie`,
    'jar): portal login route → authorize → identity picker → login → callback (timed) → citizen session. Shared, noisy',
    'machine: read medians and ratios.',
    '',
    '| Flow | Logins/s (whole flow) | Timed step p50 (ms) | p99 (ms) |',
    '|---|---|---|---|',
    `| Platform: ${TENANTS} tenants, callback = token call + ID token and userinfo verification + account + session | ${platform.perSecond} | ${platform.p50} | ${platform.p99} |`,
    `| Sandbox alone: bare client, token call + userinfo fetch, no verification, no account | ${alone.perSecond} | ${alone.p50} | ${alone.p99} |`,
    '',
    `The platform's own overhead on the callback: p50 ${Math.round((platform.p50 - alone.p50) * 10) / 10} ms over the bare token + userinfo round trips (ratio ${Math.round((platform.p50 / alone.p50) * 10) / 10}×); whole-flow throughput ratio ${Math.round((platform.perSecond / alone.perSecond) * 100) / 100}.`,
    '',
  ];
  mkdirSync(join(ROOT, 'docs/benchmarks'), { recursive: true });
  writeFileSync(join(ROOT, 'docs/benchmarks/franceconnect-logins.md'), lines.join('\n'));
  process.stdout.write(`${lines.slice(9, 14).join('\n')}\n`);
} finally {
  await api?.stop();
  await sandbox.stop();
  await database.drop();
}
