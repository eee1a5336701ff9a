#!/usr/bin/env node
// Benchmark (issue: API Particulier): 20 tenants, one with 10,000 calls and 19 with 100 each,
// through the real worker process (BullMQ on Redis, fair dispatch, PostgreSQL rate limits) against
// the sandbox API Particulier stand-in and its limits (1000 requests/min per IP, 20/s per token).
// Every figure comes from the stand-in's own request journal (what the "upstream" saw) and from
// the call log. Writes docs/benchmarks/api-particulier-fairness.md.
// Usage: npm run build && node tools/bench/api-particulier-fairness.mjs
//   BENCH_BIG_CALLS (10000) BENCH_SMALL_TENANTS (19) BENCH_SMALL_CALLS (100) BENCH_IP_LIMIT (1000/min)
//   BENCH_SMALL_DELAY_MS (5000: the small tenants arrive after the big one)
// BENCH_SHAPES=1: instead, a few minutes of harder shapes (a token shared by three tenants, a slow
// upstream answering in 2 s, a per-IP limit lower upstream than configured, Redis restarted
// mid-run, a worker SIGKILLed mid-run), on a Redis of the benchmark's own (it is restarted),
// written to docs/benchmarks/api-particulier-shapes.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, BENCH_KEYS, benchDatabase, percentile, startWorkerProcess } from './harness.mjs';
import { apiParticulierService, mintSandboxApiParticulierToken } from '../../apps/sandbox/dist/services/api-particulier.js';
import { createDataSource } from '../../libs/db/dist/index.js';
import { SecretBox, parseKeyring } from '../../libs/crypto/dist/index.js';
import { ApiParticulierCalls, CallLedger, TenantEndpoints } from '../../libs/api-particulier-calls/dist/index.js';
import { luhnValid } from '../../libs/domain/dist/index.js';
import { startScratchRedis } from '../../libs/testing/dist/redis-server.js';

const BIG = Number(process.env.BENCH_BIG_CALLS ?? 10_000);
const SMALL_TENANTS = Number(process.env.BENCH_SMALL_TENANTS ?? 19);
const SMALL = Number(process.env.BENCH_SMALL_CALLS ?? 100);
const IP_LIMIT = Number(process.env.BENCH_IP_LIMIT ?? 1000);
const TOKEN_LIMIT = 20;
const SMALL_DELAY_MS = Number(process.env.BENCH_SMALL_DELAY_MS ?? 5000);

const HEADER = 'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance';
const LINE = ';LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;'; // a staging identity: 200 with QF 2550
const csv = (prefix, n) => Buffer.from([HEADER, ...Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}${LINE}`)].join('\n'));

/** A valid SIRET (Luhn) with a random SIREN, so each tenant is its own recipient. */
function siret() {
  for (;;) {
    const digits = Array.from({ length: 14 }, () => Math.floor(Math.random() * 10)).join('');
    if (digits.startsWith('356000000')) continue;
    if (luhnValid(digits) && luhnValid(digits.slice(0, 9))) return digits;
  }
}

/** The shapes run (BENCH_SHAPES=1): each on a clean slate of the same database, stand-in and worker. */
async function runShapes() {
  const began = Date.now();
  const CONFIGURED_IP = 3000;
  const db = await benchDatabase();
  const standIn = apiParticulierService({ perIpPerMinute: CONFIGURED_IP, perTokenPerSecond: TOKEN_LIMIT });
  const server = createServer((req, res) => {
    Promise.resolve(standIn.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const standInUrl = `http://127.0.0.1:${server.address().port}`;
  const admin = async (method, path, body) => {
    const response = await fetch(`${standInUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
  };
  const dataSource = createDataSource({ url: db.url, poolMax: 4, ssl: 'disable', statementTimeoutMs: 60_000 }, { applicationName: 'fcplat-bench' });
  await dataSource.initialize();
  const box = new SecretBox(parseKeyring(BENCH_KEYS, 'bench1'));
  const ledger = new CallLedger(dataSource, box, 30);
  const calls = new ApiParticulierCalls(dataSource, ledger, new TenantEndpoints(dataSource, box, { sandboxUrl: standInUrl, allowCustom: true }));
  const actor = { auditActor: { type: 'staff', id: '00000000-0000-0000-0000-000000000000' }, userId: null };
  const scopes = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];
  let serial = 0;
  const tenant = async (token) => {
    serial += 1;
    const [{ id }] = await dataSource.query(`INSERT INTO tenant (siret, slug, name) VALUES ($1, $2, $3) RETURNING id`, [siret(), `shape-${serial}-${randomBytes(2).toString('hex')}`, `Organisme ${serial}`]);
    await dataSource.query(
      `INSERT INTO tenant_habilitation (tenant_id, product, state, scopes, modalities, validated_at) VALUES ($1, 'api_particulier', 'validated', $2::jsonb, '["pivot_identity"]'::jsonb, now())`,
      [id, JSON.stringify(scopes)],
    );
    const own = token ?? (await mintSandboxApiParticulierToken({ subject: `shape-${serial}` })).token;
    await dataSource.query(
      `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, received_on, expires_on) VALUES ($1, 'sandbox', $2, current_date, current_date + 500)`,
      [id, box.encrypt(own, { tenantId: id, field: 'apip_token:sandbox' })],
    );
    await dataSource.query(`INSERT INTO tenant_live_environment (tenant_id, product, environment) VALUES ($1, 'api_particulier', 'sandbox')`, [id]);
    return { id, token: own };
  };
  // A Redis of the benchmark's own: the redis-restart shape stops it and starts it again, empty, on the same port.
  let redis = await startScratchRedis();
  const redisPort = Number(new URL(redis.url).port);
  const workerEnv = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `fcplat-bench-${randomBytes(3).toString('hex')}`,
    ALLOW_CUSTOM_ENDPOINTS: 'true',
    SANDBOX_API_PARTICULIER_URL: standInUrl,
    API_PARTICULIER_IP_LIMIT_PER_MINUTE: String(CONFIGURED_IP),
    API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: String(TOKEN_LIMIT),
  };
  const workers = [await startWorkerProcess(workerEnv)];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const countOf = async (tenantIds, status) => (await dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE tenant_id = ANY($1) AND status = $2`, [tenantIds, status]))[0].n;
  const untilSucceeded = async (tenantIds, n) => {
    while ((await countOf(tenantIds, 'succeeded')) < n) await sleep(50);
  };

  /**
   * Redis stopped once a quarter of the calls succeeded, kept down until no call runs (≥ 3 s),
   * then started again empty on the same port. Recovery: from Redis answering again to the first
   * call accepted upstream (nothing was running at that instant, so it is a resumed call).
   */
  const redisRestart = async (tenantIds, total) => {
    await untilSucceeded(tenantIds, total / 4);
    const faultAt = Date.now();
    await redis.stop();
    while (Date.now() - faultAt < 3_000 || (await countOf(tenantIds, 'running')) > 0) await sleep(100);
    redis = await startScratchRedis([], redisPort);
    const back = Date.now();
    return { faultAt, recoveryFrom: back, recoveredAt: null, note: `Redis down ${Math.round((back - faultAt) / 100) / 10} s` };
  };

  /**
   * The first worker SIGKILLed once a quarter of the calls succeeded (a second worker runs beside
   * it). Its calls are those running at the kill and still in the same attempt 1 s later (the
   * survivor's take 400 ms); recovery: from the kill until the last of them ended.
   */
  const workerKill = async (tenantIds, total) => {
    await untilSucceeded(tenantIds, total / 4);
    const doomed = workers.shift();
    const exited = new Promise((done) => doomed.child.once('exit', done));
    doomed.child.kill('SIGKILL');
    await exited;
    const faultAt = Date.now();
    const running = async () => new Map((await dataSource.query(`SELECT id, attempts FROM api_particulier_call WHERE tenant_id = ANY($1) AND status = 'running'`, [tenantIds])).map((r) => [r.id, r.attempts]));
    const atKill = await running();
    await sleep(1_000);
    const later = await running();
    const orphans = [...atKill].filter(([id, attempts]) => later.get(id) === attempts).map(([id]) => id);
    for (;;) {
      const [{ open }] = await dataSource.query(`SELECT count(*)::int AS open FROM api_particulier_call WHERE id = ANY($1) AND status NOT IN ('succeeded', 'failed')`, [orphans]);
      if (open === 0) break;
      if (Date.now() - faultAt > 120_000) throw new Error('the killed worker’s calls did not end within 2 minutes');
      await sleep(50);
    }
    return { faultAt, recoveryFrom: faultAt, recoveredAt: Date.now(), note: `${orphans.length} calls of the killed worker` };
  };

  /** Runs one shape: queues `perTenant` calls for each tenant, waits for the end, measures from the stand-in's journal. */
  const shape = async ({ name, tenants, perTenant, upstream, latencyMs, allowedPerSecond, allowedText, fault }) => {
    await admin('DELETE', '/admin/faults');
    await admin('POST', '/admin/limits', upstream);
    if (latencyMs) await admin('POST', '/admin/faults', { kind: 'latency', latencyMs, ratio: 1 });
    await dataSource.query(`DELETE FROM rate_limit_bucket`);
    const t0 = Date.now();
    for (const t of tenants) {
      await calls.createBatch({ tenantId: t.id, api: 'quotient_familial', modality: 'pivot_identity', fileName: `${name}.csv`, bytes: csv(name, perTenant), actor, requestId: null });
    }
    const tenantIds = tenants.map((t) => t.id);
    const faulted = fault ? fault(tenantIds, tenants.length * perTenant) : null;
    for (;;) {
      const [{ open }] = await dataSource.query(`SELECT count(*)::int AS open FROM api_particulier_call WHERE tenant_id = ANY($1) AND status NOT IN ('succeeded', 'failed')`, [tenantIds]);
      if (open === 0) break;
      if (Date.now() - t0 > 10 * 60 * 1000) throw new Error(`shape ${name} did not finish within 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const tEnd = Date.now();
    const faultRun = faulted ? await faulted : null;
    const rows = await dataSource.query(`SELECT id, status, attempts FROM api_particulier_call WHERE tenant_id = ANY($1)`, [tenantIds]);
    const ids = new Set(rows.map((r) => r.id));
    const journal = standIn.journal.filter((e) => e.requestId && ids.has(e.requestId));
    const accepted = journal.filter((e) => e.status !== 429 && e.status !== null);
    const refused = journal.filter((e) => e.status === 429);
    const okByCall = new Map();
    for (const e of accepted) okByCall.set(e.requestId, (okByCall.get(e.requestId) ?? 0) + 1);
    const lost = rows.filter((r) => r.status !== 'succeeded' || !okByCall.has(r.id)).length;
    const duplicated = [...okByCall.values()].filter((n) => n > 1).length;
    const firstAt = Math.min(...journal.map((e) => e.at));
    const lastAt = Math.max(...accepted.map((e) => e.at));
    // Recovery from a fault: to the first call accepted after Redis answered again, or to the end of the killed worker's calls.
    const recoveredAt = faultRun ? (faultRun.recoveredAt ?? Math.min(...accepted.filter((e) => e.at >= faultRun.recoveryFrom).map((e) => e.at))) : null;
    // Achieved rate (accepted calls over the busy period, first request to last accepted one) / allowed rate; a Redis
    // outage (from the stop to the first call accepted after its return) is left out: nothing can work then.
    const outageMs = faultRun && faultRun.recoveredAt === null ? recoveredAt - faultRun.faultAt : 0;
    const achieved = (accepted.length - 1) / Math.max(0.001, (lastAt - firstAt - outageMs) / 1000);
    // The same from the first answer on (a slow upstream teaches its latency only once it answers).
    const warm = accepted.filter((e) => e.at >= firstAt + (latencyMs ?? 0));
    const warmAchieved = (warm.length - 1) / Math.max(0.001, (lastAt - (warm[0]?.at ?? firstAt) - outageMs) / 1000);
    // BENCH_TRACE=1: accepted calls per second of the run, overall and per token (where a shape loses its rate).
    if (process.env.BENCH_TRACE) {
      const perSecond = (entries) => {
        const counts = new Map();
        for (const e of entries) counts.set(Math.floor((e.at - firstAt) / 1000), (counts.get(Math.floor((e.at - firstAt) / 1000)) ?? 0) + 1);
        return [...counts].sort((a, b) => a[0] - b[0]).map(([second, n]) => `${second}:${n}`).join(' ');
      };
      for (const token of new Set(accepted.map((e) => e.tokenId))) process.stderr.write(`TOKEN ${token?.slice(0, 6)}: ${perSecond(accepted.filter((e) => e.tokenId === token))}\n`);
      process.stderr.write(`TRACE ${name} fault at ${faultRun ? ((faultRun.faultAt - firstAt) / 1000).toFixed(1) : '-'} s: ${perSecond(accepted)}\n`);
    }
    const [learnt] = await dataSource.query(`SELECT learnt_limit, learnt_source FROM rate_limit_bucket WHERE key = 'apip:ip' AND learnt_limit IS NOT NULL`);
    // Departures counted on the per-IP log (emptied before the shape, larger than its calls) less the requests that
    // reached the upstream: departures counted again because the worker was too slow to leave on them (limiter.ts).
    const [{ departures }] = await dataSource.query(`SELECT count(*)::int AS departures FROM rate_limit_bucket WHERE key LIKE 'apip:ip#%' AND tat > to_timestamp($1::float8 / 1000)`, [t0]);
    return {
      name,
      allowedText,
      calls: rows.length,
      seconds: Math.round((tEnd - t0) / 100) / 10,
      efficiency: Math.round((achieved / allowedPerSecond) * 1000) / 1000,
      warmEfficiency: Math.round((warmAchieved / allowedPerSecond) * 1000) / 1000,
      achievedPerSecond: Math.round(achieved * 100) / 100,
      ratio429: Math.round((refused.length / Math.max(1, journal.length)) * 10_000) / 10_000,
      refused429: refused.length,
      lost,
      duplicated,
      // Time to recover: from the first request to the last 429 (none after it).
      recoverSeconds: refused.length === 0 ? 0 : Math.round((Math.max(...refused.map((e) => e.at)) - firstAt) / 100) / 10,
      // After a fault: from Redis answering again, or from the kill (see redisRestart, workerKill).
      faultRecoverSeconds: faultRun ? Math.round((recoveredAt - faultRun.recoveryFrom) / 100) / 10 : null,
      faultNote: faultRun ? faultRun.note : null,
      learntCeiling: learnt ? `${learnt.learnt_limit}/min (${learnt.learnt_source})` : null,
      countedAgain: Math.max(0, departures - journal.length),
    };
  };

  const results = [];
  // BENCH_SHAPES_ONLY=shared-token,slow-upstream-2s: run only those shapes.
  const only = process.env.BENCH_SHAPES_ONLY ? process.env.BENCH_SHAPES_ONLY.split(',') : null;
  const wanted = (name) => only === null || only.includes(name);
  const sharedToken = (await mintSandboxApiParticulierToken({ subject: 'shape-shared' })).token;
  const shared = [await tenant(sharedToken), await tenant(sharedToken), await tenant(sharedToken)];
  if (wanted('shared-token')) results.push(await shape({ name: 'shared-token', tenants: shared, perTenant: 100, upstream: { perTokenPerSecond: TOKEN_LIMIT, perIpPerMinute: CONFIGURED_IP }, allowedPerSecond: TOKEN_LIMIT, allowedText: `${TOKEN_LIMIT}/s (one token)` }));
  const slow = [await tenant(), await tenant(), await tenant(), await tenant()];
  if (wanted('slow-upstream-2s')) {
    results.push(
      await shape({ name: 'slow-upstream-2s', tenants: slow, perTenant: 150, latencyMs: 2000, upstream: { perTokenPerSecond: TOKEN_LIMIT, perIpPerMinute: CONFIGURED_IP }, allowedPerSecond: CONFIGURED_IP / 60, allowedText: `${CONFIGURED_IP}/min (per IP)` }),
    );
  }
  const low = [await tenant(), await tenant()];
  const UPSTREAM_IP = 60;
  if (wanted('per-ip-lower-upstream')) {
    results.push(
      await shape({ name: 'per-ip-lower-upstream', tenants: low, perTenant: 50, upstream: { perTokenPerSecond: TOKEN_LIMIT, perIpPerMinute: UPSTREAM_IP }, allowedPerSecond: UPSTREAM_IP / 60, allowedText: `${UPSTREAM_IP}/min upstream (configured ${CONFIGURED_IP})` }),
    );
  }
  const restart = [await tenant(), await tenant(), await tenant(), await tenant()];
  if (wanted('redis-restart')) {
    results.push(
      await shape({ name: 'redis-restart', tenants: restart, perTenant: 100, fault: redisRestart, upstream: { perTokenPerSecond: TOKEN_LIMIT, perIpPerMinute: CONFIGURED_IP }, allowedPerSecond: CONFIGURED_IP / 60, allowedText: `${CONFIGURED_IP}/min (per IP)` }),
    );
  }
  // A second worker beside the first, which is then killed.
  if (wanted('worker-sigkill')) {
    workers.push(await startWorkerProcess(workerEnv));
    const killed = [await tenant(), await tenant(), await tenant(), await tenant()];
    results.push(
      await shape({ name: 'worker-sigkill', tenants: killed, perTenant: 250, latencyMs: 400, fault: workerKill, upstream: { perTokenPerSecond: TOKEN_LIMIT, perIpPerMinute: CONFIGURED_IP }, allowedPerSecond: CONFIGURED_IP / 60, allowedText: `${CONFIGURED_IP}/min (per IP)` }),
    );
  }
  for (const w of workers) await w.stop();
  await redis.stop();
  process.stderr.write(`${JSON.stringify(results, null, 2)}\n`);
  // BENCH_SHAPES_JSON: also write the raw results there; BENCH_SHAPES_BEFORE: a previous run's raw results, shown beside.
  if (process.env.BENCH_SHAPES_JSON) writeFileSync(process.env.BENCH_SHAPES_JSON, JSON.stringify(results));
  const before = process.env.BENCH_SHAPES_BEFORE ? JSON.parse(readFileSync(process.env.BENCH_SHAPES_BEFORE, 'utf8')) : null;
  const recovery = (r) => {
    if (r.faultRecoverSeconds !== null && r.faultRecoverSeconds !== undefined) return `${r.faultRecoverSeconds} s (${r.faultNote})`;
    return r.refused429 === 0 ? '—' : `${r.recoverSeconds} s (last 429 after start)`;
  };
  const row = (r) =>
    `| ${r.name} | ${r.allowedText} | ${r.calls} | ${r.seconds} s | ${r.achievedPerSecond}/s | **${r.efficiency}** | ${r.warmEfficiency ?? '—'} | ${r.ratio429} (${r.refused429}) | ${r.lost} | ${r.duplicated} | ${recovery(r)} | ${r.learntCeiling ?? '—'} |`;
  const head = `| Shape | Allowed | Calls | Time | Achieved | Efficiency (achieved / allowed) | Efficiency from the first answer | 429 ratio | Lost | Duplicated | Time to recover | Learnt per-IP ceiling |
|---|---|---|---|---|---|---|---|---|---|---|---|`;
  const date = new Date().toISOString();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const md = `# Benchmark: API Particulier calls — harder shapes

Produced by \`BENCH_SHAPES=1 node tools/bench/api-particulier-fairness.mjs\` (after \`npm run build\`) on ${date}
(${machine}). Not part of \`npm test\`: a shared, noisy machine; read ratios, not milliseconds.

One **real worker process** (built; concurrency following latency from the default 16 up to the default maximum 128,
\`API_PARTICULIER_IP_LIMIT_PER_MINUTE=${CONFIGURED_IP}\`, \`API_PARTICULIER_TOKEN_LIMIT_PER_SECOND=${TOKEN_LIMIT}\`; two for worker-sigkill),
BullMQ on a Redis of the benchmark's own (restarted by redis-restart), rate limits in PostgreSQL, against the
sandbox stand-in over HTTP, reconfigured per shape (\`/admin/limits\`, \`/admin/faults\`); \`rate_limit_bucket\` emptied
between shapes. Figures from the stand-in's journal, matched to the call log by call id.

${head}
${results.map(row).join('\n')}
${before ? `\nBefore (${process.env.BENCH_SHAPES_BEFORE_LABEL ?? 'a previous run'}), same shapes:\n\n${head}\n${before.map(row).join('\n')}\n` : ''}
- **Efficiency** is the achieved rate (accepted calls from the first request to the last accepted one) over the allowed
  rate. Above 1 is not always beyond the upstream's limit: a per-minute limit allows its whole budget within the
  minute (a run of a few seconds at 50.5/s sends ~400 of 3000), and the stand-in counts in fixed windows (aligned on
  the second or the minute), so a burst straddling a window boundary passes there.
- **shared-token**: three tenants share one token (an editor-wide token): one bucket for the three, ${TOKEN_LIMIT}/s.
- **Efficiency from the first answer**: the same, counted from the first request accepted one upstream latency after the
  start (before its first answers, the worker only knows a slow upstream from the age of the requests still out, and ramps up from its configured 16).
- **slow-upstream-2s**: every answer takes 2 s (stand-in latency fault), four tenants with their own tokens. Concurrency
  follows latency: about ${CONFIGURED_IP / 60}/s × 2 s × 1.25 calls at once (≤ 128), instead of 16 (8/s) before.
- **per-ip-lower-upstream**: the stand-in allows ${UPSTREAM_IP}/min per IP, the platform is configured for ${CONFIGURED_IP}/min; the
  platform learns the ceiling from \`RateLimit-Limit\` (kept in \`rate_limit_bucket\`, column \`learnt_limit\` of row \`apip:ip\`) and then counts
  departures against it over its window plus the margin (3 %, at most 1 s: 60 per 61 s).
- **redis-restart**: Redis stopped once a quarter of the calls succeeded, kept down until no call runs (at least 3 s), then
  started again, empty, on the same port. Time to recover: from Redis answering again to the first call accepted upstream.
  Efficiency leaves out the outage (from the stop to that first call).
- **worker-sigkill**: two worker processes, 400 ms upstream latency, 1,000 calls (longer than the recovery, so the killed
  worker's calls do not end the run); the first is SIGKILLed once a quarter of the calls succeeded. Time to recover: from the kill until the last of its calls (running at the kill, still in the same attempt
  1 s later) ended. Duplicated: calls of the killed worker that had reached the upstream and were sent again
  (at least once; each is counted on its call as an ambiguous attempt).
- Raw: \`${JSON.stringify(results)}\`
`;
  mkdirSync(join(ROOT, 'docs', 'benchmarks'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', 'benchmarks', 'api-particulier-shapes.md'), md);
  await dataSource.destroy();
  await new Promise((done) => server.close(done));
  await db.drop();
  process.stderr.write(`written docs/benchmarks/api-particulier-shapes.md in ${Math.round((Date.now() - began) / 1000)} s\n`);
}

if (process.env.BENCH_SHAPES) {
  await runShapes();
  process.exit(0);
}

const started = Date.now();
const db = await benchDatabase();
const standIn = apiParticulierService({ perIpPerMinute: IP_LIMIT, perTokenPerSecond: TOKEN_LIMIT });
const server = createServer((req, res) => {
  Promise.resolve(standIn.handler(req, res)).catch(() => res.destroy());
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const standInUrl = `http://127.0.0.1:${server.address().port}`;

const dataSource = createDataSource({ url: db.url, poolMax: 4, ssl: 'disable', statementTimeoutMs: 60_000 }, { applicationName: 'fcplat-bench' });
await dataSource.initialize();
const box = new SecretBox(parseKeyring(BENCH_KEYS, 'bench1'));
const ledger = new CallLedger(dataSource, box, 30);
const calls = new ApiParticulierCalls(dataSource, ledger, new TenantEndpoints(dataSource, box, { sandboxUrl: standInUrl, allowCustom: true }));

const scopes = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];
const tenants = [];
for (let i = 0; i < 1 + SMALL_TENANTS; i += 1) {
  const [{ id }] = await dataSource.query(`INSERT INTO tenant (siret, slug, name) VALUES ($1, $2, $3) RETURNING id`, [siret(), `bench-${i}-${randomBytes(2).toString('hex')}`, i === 0 ? 'Grand organisme' : `Petit organisme ${i}`]);
  await dataSource.query(
    `INSERT INTO tenant_habilitation (tenant_id, product, state, scopes, modalities, validated_at) VALUES ($1, 'api_particulier', 'validated', $2::jsonb, '["pivot_identity"]'::jsonb, now())`,
    [id, JSON.stringify(scopes)],
  );
  const { token } = await mintSandboxApiParticulierToken({ subject: `bench-${i}` });
  await dataSource.query(
    `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, received_on, expires_on) VALUES ($1, 'sandbox', $2, current_date, current_date + 500)`,
    [id, box.encrypt(token, { tenantId: id, field: 'apip_token:sandbox' })],
  );
  await dataSource.query(`INSERT INTO tenant_live_environment (tenant_id, product, environment) VALUES ($1, 'api_particulier', 'sandbox')`, [id]);
  tenants.push({ id, big: i === 0 });
}
const actor = { auditActor: { type: 'staff', id: '00000000-0000-0000-0000-000000000000' }, userId: null };

const prefix = `fcplat-bench-${randomBytes(3).toString('hex')}`;
const worker = await startWorkerProcess({
  DATABASE_URL: db.url,
  QUEUE_PREFIX: prefix,
  ALLOW_CUSTOM_ENDPOINTS: 'true',
  SANDBOX_API_PARTICULIER_URL: standInUrl,
  API_PARTICULIER_IP_LIMIT_PER_MINUTE: String(IP_LIMIT),
  API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: String(TOKEN_LIMIT),
});

const t0 = Date.now();
await calls.createBatch({ tenantId: tenants[0].id, api: 'quotient_familial', modality: 'pivot_identity', fileName: 'big.csv', bytes: csv('B', BIG), actor, requestId: null });
const tBig = Date.now();
await new Promise((r) => setTimeout(r, SMALL_DELAY_MS));
const tSmall = Date.now();
for (const tenant of tenants.slice(1)) {
  await calls.createBatch({ tenantId: tenant.id, api: 'quotient_familial', modality: 'pivot_identity', fileName: 'small.csv', bytes: csv('S', SMALL), actor, requestId: null });
}
const total = BIG + SMALL_TENANTS * SMALL;
process.stderr.write(`queued ${total} calls for ${tenants.length} tenants; waiting (about ${Math.ceil(total / IP_LIMIT)} min at ${IP_LIMIT}/min)…\n`);
for (;;) {
  const [{ open }] = await dataSource.query(`SELECT count(*)::int AS open FROM api_particulier_call WHERE status NOT IN ('succeeded', 'failed')`);
  if (open === 0) break;
  if (Date.now() - t0 > 60 * 60 * 1000) throw new Error('benchmark did not finish within an hour');
  await new Promise((r) => setTimeout(r, 2000));
  process.stderr.write(`  ${open} open\r`);
}
const tEnd = Date.now();
await worker.stop();

// ---- measurements ---------------------------------------------------------------------------
const rows = await dataSource.query(
  `SELECT id, tenant_id, status, attempts, rate_limited, (extract(epoch FROM queued_at) * 1000)::float8 AS queued, (extract(epoch FROM started_at) * 1000)::float8 AS started
     FROM api_particulier_call`,
);
const tenantOfRecipient = new Map();
for (const t of await dataSource.query(`SELECT id, siret FROM tenant`)) tenantOfRecipient.set(t.siret, t.id);
const journal = standIn.journal.filter((e) => e.at >= t0);
const accepted = journal.filter((e) => e.status !== 429);
const refused = journal.filter((e) => e.status === 429);
const okByCall = new Map();
for (const e of accepted) if (e.requestId) okByCall.set(e.requestId, (okByCall.get(e.requestId) ?? 0) + 1);
const lost = rows.filter((r) => r.status !== 'succeeded' || !okByCall.has(r.id)).length;
const duplicated = [...okByCall.values()].filter((n) => n > 1).length;
const firstAt = Math.min(...accepted.map((e) => e.at));
const lastAt = Math.max(...accepted.map((e) => e.at));
const busyMs = lastAt - firstAt;
const ceiling = (IP_LIMIT * busyMs) / 60_000;
const efficiency = accepted.length / Math.max(1, ceiling);
// Full minute windows of the stand-in (it counts per fixed minute): accepted per window / limit.
const perMinute = new Map();
for (const e of accepted) perMinute.set(Math.floor(e.at / 60_000), (perMinute.get(Math.floor(e.at / 60_000)) ?? 0) + 1);
const fullMinutes = [...perMinute.entries()].filter(([m]) => m > Math.floor(firstAt / 60_000) && m < Math.floor(lastAt / 60_000)).map(([, n]) => n);
const maxPerMinute = Math.max(...perMinute.values());

// Fairness: while every tenant has a backlog — from the small tenants' arrival until the first of
// them is served entirely — each tenant's share of the accepted calls.
const smallIds = new Set(tenants.filter((t) => !t.big).map((t) => t.id));
const doneAt = new Map();
for (const e of accepted) {
  const tenant = tenantOfRecipient.get(e.recipient);
  if (!smallIds.has(tenant)) continue;
  const list = doneAt.get(tenant) ?? [];
  list.push(e.at);
  doneAt.set(tenant, list);
}
const windowEnd = Math.min(...[...doneAt.values()].map((list) => Math.max(...list)));
const windowStart = tSmall;
const counts = new Map(tenants.map((t) => [t.id, 0]));
for (const e of accepted) {
  if (e.at < windowStart || e.at > windowEnd) continue;
  const tenant = tenantOfRecipient.get(e.recipient);
  counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
}
const shares = [...counts.values()];
const jain = shares.reduce((a, b) => a + b, 0) ** 2 / (shares.length * shares.reduce((a, b) => a + b * b, 0));

const smallRows = rows.filter((r) => smallIds.has(r.tenant_id));
const waits = smallRows.map((r) => (r.started - r.queued) / 1000).sort((a, b) => a - b);
const firstWaits = [...smallIds].map((id) => Math.min(...smallRows.filter((r) => r.tenant_id === id).map((r) => r.started)) - Math.min(...smallRows.filter((r) => r.tenant_id === id).map((r) => r.queued))).map((ms) => ms / 1000).sort((a, b) => a - b);
const bigBacklogAtSmallArrival = BIG - accepted.filter((e) => e.at < tSmall && tenantOfRecipient.get(e.recipient) === tenants[0].id).length;
const fifoFirstWait = (bigBacklogAtSmallArrival / IP_LIMIT) * 60;
const attempts = rows.reduce((a, r) => a + r.attempts, 0);

const round = (v, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const result = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  calls: total,
  durationSeconds: round((tEnd - t0) / 1000, 1),
  accepted: accepted.length,
  refused429: refused.length,
  ratio429: round(refused.length / Math.max(1, journal.length), 4),
  efficiency: round(efficiency),
  fullMinuteWindows: fullMinutes,
  maxAcceptedInOneMinute: maxPerMinute,
  lost,
  duplicated,
  attemptsPerCall: round(attempts / rows.length),
  jain: round(jain, 4),
  fairnessWindowSeconds: round((windowEnd - windowStart) / 1000, 1),
  smallFirstCallWaitP95: round(percentile(firstWaits, 95), 2),
  smallFirstCallWaitMax: round(firstWaits[firstWaits.length - 1] ?? NaN, 2),
  smallWaitP50: round(percentile(waits, 50), 1),
  smallWaitP95: round(percentile(waits, 95), 1),
  fifoFirstWaitSeconds: round(fifoFirstWait, 1),
  bigBatchInsertSeconds: round((tBig - t0) / 1000, 2),
};
process.stderr.write(`\n${JSON.stringify(result, null, 2)}\n`);

const pass = (ok) => (ok ? 'met' : '**missed**');
const md = `# Benchmark: API Particulier calls — efficiency and fairness under the upstream's limits

Produced by \`node tools/bench/api-particulier-fairness.mjs\` (after \`npm run build\`) on ${result.date}
(${result.machine}). Not part of \`npm test\`: a shared, noisy machine; read ratios, not milliseconds.

## Set-up
- ${tenants.length} tenants: one queues **${BIG}** calls (a batch), ${SMALL_TENANTS} others queue **${SMALL}** each ${SMALL_DELAY_MS / 1000} s later.
- Quotient familial by pivot identity, each tenant with its own sandbox token and SIRET (\`recipient\`).
- The **real worker process** (built), BullMQ on the local Redis, the fair dispatcher and the rate limits in PostgreSQL,
  default settings but \`API_PARTICULIER_IP_LIMIT_PER_MINUTE=${IP_LIMIT}\`.
- The sandbox API Particulier stand-in over HTTP on 127.0.0.1 with its limits: **${IP_LIMIT} requests/min per IP** (fixed
  minute windows) and **${TOKEN_LIMIT}/s per token**, 429 + Retry-After beyond. All figures below come from the stand-in's
  own request journal (what "the upstream" saw), matched to the call log through \`X-Request-Id\` = call id.

## Results (targets from the issue)
| Measure | Value | Target |
|---|---|---|
| Calls | ${total} in ${result.durationSeconds} s | |
| Efficiency: accepted calls / what the limits allow over the busy period | **${result.efficiency}** | ≥ 0.9: ${pass(result.efficiency >= 0.9)} |
| Accepted per full minute window | ${fullMinutes.join(', ') || '—'} (max ${maxPerMinute}, limit ${IP_LIMIT}) | ≤ ${IP_LIMIT} |
| Lost calls (not succeeded, or never accepted upstream) | **${lost}** | 0: ${pass(lost === 0)} |
| Duplicated calls (accepted upstream more than once) | **${duplicated}** | 0: ${pass(duplicated === 0)} |
| 429 answers / requests | **${result.ratio429}** (${refused.length} of ${journal.length}) | ≤ 0.01: ${pass(result.ratio429 <= 0.01)} |
| Jain fairness index across the ${tenants.length} tenants while all have a backlog (${result.fairnessWindowSeconds} s) | **${result.jain}** | ≥ 0.95: ${pass(result.jain >= 0.95)} |
| Small tenants: wait of their first call, p95 / max | ${result.smallFirstCallWaitP95} s / ${result.smallFirstCallWaitMax} s | vs ${result.fifoFirstWaitSeconds} s behind the big backlog in a FIFO |
| Small tenants: wait of all their calls, p50 / p95 | ${result.smallWaitP50} s / ${result.smallWaitP95} s | their fair share: ${SMALL} calls at 1/${tenants.length} of ${IP_LIMIT}/min ≈ ${round((SMALL * tenants.length * 60) / IP_LIMIT, 0)} s |
| Attempts per call | ${result.attemptsPerCall} | |
| Queuing the ${BIG}-line batch (parse, check, encrypt, insert) | ${result.bigBatchInsertSeconds} s | |

## How to read it
- **Efficiency** is below 1 by design: the platform counts its departures over the upstream's window plus a margin
  (docs/api-particulier.md: 1 s on a minute), so no fixed window of the upstream can see more than its limit: at most
  ${IP_LIMIT} calls per 61 s, about ${Math.round((IP_LIMIT * 60) / 61)} per minute; the rest is the time between a slot and the call actually leaving.
- **Fairness** comes from the dispatcher: calls wait in PostgreSQL and are handed to BullMQ ${'in'} round-robin across tenants,
  at most one window of the worker's concurrency waiting at a time, so a small tenant's first call waits for one short window,
  not for the big tenant's backlog.
- Raw result: \`${JSON.stringify(result)}\`
`;
mkdirSync(join(ROOT, 'docs', 'benchmarks'), { recursive: true });
writeFileSync(join(ROOT, 'docs', 'benchmarks', 'api-particulier-fairness.md'), md);
await dataSource.destroy();
await new Promise((done) => server.close(done));
await db.drop();
process.stderr.write(`written docs/benchmarks/api-particulier-fairness.md in ${Math.round((Date.now() - started) / 1000)} s\n`);
