// Shared pieces of the benchmarks: a database of the benchmark's own, the built API as a real
// process, and latency statistics. Benchmarks are never run by `npm test`; results go to docs/.
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_KEYS = 'bench1:YmVuY2gtb25seS1rZXktMDAwMDAwMDAwMDAwMDAwMDA=';

export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Creates `fcplat_bench_<id>`, applies the migrations with the built CLI, returns its URL and a dropper. */
export async function benchDatabase() {
  const name = `fcplat_bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await run(process.execPath, ['libs/db/dist/cli/migrate.js'], { DATABASE_URL: url.toString() });
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

function run(command, args, env) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => (code === 0 ? done(output) : fail(new Error(`${args.join(' ')} failed:\n${output}`))));
  });
}

/** Starts the built API (production mode) on the benchmark database; resolves when ready. */
export async function startApi(databaseUrl, overrides = {}) {
  const port = overrides.PORT ? Number(overrides.PORT) : await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: 'https://bench.example.fr',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '10',
    REDIS_URL,
    QUEUE_PREFIX: `fcplat-bench-${randomBytes(3).toString('hex')}`,
    SECRETS_KEYS: BENCH_KEYS,
    SECRETS_ACTIVE_KEY: 'bench1',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: 'bench <bench@example.fr>',
    LOG_LEVEL: 'warn',
    HEARTBEAT_INTERVAL_SECONDS: '3600',
    ...overrides,
  };
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health/ready`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) };
}

/**
 * Inserts the benchmark tenants numbered `from`..`to` with one INSERT … SELECT (« Commune de Bench 12 »,
 * SIRET `99` + the number on 12 digits; one in 50 suspended, one in 3 with data retrieval); each
 * gets its onboarding case from the database trigger.
 */
export async function insertBenchTenants(client, from, to) {
  await client.query(
    `INSERT INTO tenant (siret, slug, name, status, data_retrieval_enabled, legal_category_code, address)
     SELECT '99' || lpad(i::text, 12, '0'),
            'commune-bench-' || i,
            (ARRAY['Commune de ', 'CCAS de ', 'Communauté de communes de ', 'Ville de '])[1 + i % 4] || 'Bench ' || i,
            CASE WHEN i % 50 = 0 THEN 'suspended' ELSE 'active' END,
            i % 3 = 0,
            (ARRAY['7210', '7361', '7346', '7348'])[1 + i % 4],
            jsonb_build_object('postalCode', lpad((i % 95000 + 1000)::text, 5, '0'), 'city', 'Ville ' || i)
       FROM generate_series($1::int, $2::int) AS i`,
    [from, to],
  );
}

/** An admin staff member with a personal API token, inserted directly. */
export async function staffToken(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query(
    `INSERT INTO app_user (email, display_name, kind, staff_role, status) VALUES ($1, 'Bench', 'staff', 'admin', 'active') RETURNING id`,
    [`bench-${Date.now()}@example.fr`],
  );
  const token = `fcp_${randomBytes(32).toString('base64url')}`;
  await client.query(`INSERT INTO api_token (user_id, name, token_hash, token_prefix) VALUES ($1, 'bench', $2, $3)`, [
    rows[0].id,
    createHash('sha256').update(token).digest('hex'),
    token.slice(0, 8),
  ]);
  await client.end();
  return `Bearer ${token}`;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Runs `count` sequential requests (after `warmup`), returns the sorted latencies in ms and p50/p95/p99. */
export async function measure(url, headers, { count = 200, warmup = 20 } = {}) {
  const latencies = [];
  for (let i = 0; i < warmup + count; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    if (i >= warmup) latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const round = (v) => Math.round(v * 10) / 10;
  return { count, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), latencies };
}

/** Starts the built worker (production mode) with `env` (DATABASE_URL, QUEUE_PREFIX, …); resolves once it logs its start. */
export async function startWorkerProcess(env) {
  const child = spawn(process.execPath, ['apps/worker/dist/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://bench.example.fr',
      DATABASE_POOL_MAX: '10',
      REDIS_URL,
      SECRETS_KEYS: BENCH_KEYS,
      SECRETS_ACTIVE_KEY: 'bench1',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'bench <bench@example.fr>',
      LOG_LEVEL: 'info',
      HEARTBEAT_INTERVAL_SECONDS: '3600',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('worker started')) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', () => fail(new Error(`worker exited:\n${output}`)));
  });
  child.stdout.resume();
  return { child, stop: () => new Promise((done) => { if (child.exitCode !== null) return done(); child.once('exit', done); child.kill('SIGTERM'); }) };
}
