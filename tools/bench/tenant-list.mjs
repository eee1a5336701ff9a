#!/usr/bin/env node
// Benchmark (issue 15): the console's tenant list at 10,000 and at 100,000 tenants, each size in a
// database of its own with the built API as a real process in production mode on it, sequential
// HTTP calls with a staff API token, in rounds that alternate the two sizes. Measures the first
// page, searches and a filtered page (and the pipeline's list, which counts the same way), the
// typo-tolerant searches of issue 16 (on a few real names added to the numbered ones), reports
// p50/p95 and the API's CPU per request at each size and the 100k/10k ratios, and writes
// docs/benchmarks/tenant-list.md. Usage: npm run build && node tools/bench/tenant-list.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, benchDatabase, insertBenchTenants, measure, percentile, staffToken, startApi } from './harness.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = 5;
const CALLS = ROUNDS * Math.ceil(Number(process.env.BENCH_CALLS ?? 300) / ROUNDS);
/** Warm-up calls before each round's measured calls. */
const WARMUP = 10;
const TARGET_P95_MS = 15;
/** « Flat »: the 100k p95 stays within this factor of the 10k p95 (plus 1 ms of timer noise). */
const FLAT_RATIO = 1.5;
/** Issue 16: the typo-tolerant searches (rows marked †), p95 at 10,000 tenants. */
const TYPO_TARGET_P95_MS = 50;

/** Real names added to each world for the typo-tolerant searches (SIRETs outside the `99…` range of the numbered tenants). */
const NAMED_TENANTS = [
  ['Mairie de Clamart', '21920023500030', 'mairie-de-clamart'],
  ['Clamart Habitat', '21920023500022', 'clamart-habitat'],
  ['Ville de Clamecy', '21580079700017', 'clamecy'],
  ['Ville de Saint-Étienne', '21420218600013', 'saint-etienne'],
  ['CCAS de Béziers', '26340032100018', 'ccas-de-beziers'],
];

/** [label, path, one of the three requests the issue's target names (first page, a search, a filtered page)]. */
const CASES = [
  ['First page (sorted by name)', '/api/tenants', true],
  ['Infix search in the name (« ench 12 »: 111 tenants at 10,000, 1,111 at 100,000)', `/api/tenants?search=${encodeURIComponent('ench 12')}`, true],
  ['Short search (« cc »: start of a word, a quarter of the tenants)', '/api/tenants?search=cc', false],
  ['Broad search (« ville »: a quarter of the tenants, all sorted last)', '/api/tenants?search=ville', false],
  ['SIRET prefix search (10 tenants at both sizes)', '/api/tenants?search=9900000000012', false],
  ['Filtered page (data retrieval on, sorted by SIRET, page 20)', '/api/tenants?dataRetrievalEnabled=true&sort=siret&page=20', true],
  ['† Typo (« Clamrt »: 2 tenants, by relevance)', `/api/tenants?search=${encodeURIComponent('Clamrt')}`, 'typo'],
  ['† Accents and case (« saint-etienne »)', `/api/tenants?search=${encodeURIComponent('saint-etienne')}`, 'typo'],
  ['† Words apart, one common (« ccas bezier »: « ccas » in a quarter of the names)', `/api/tenants?search=${encodeURIComponent('ccas bezier')}`, 'typo'],
  ['† Typo in a word half the names have (« communee 12 »: worst case, nothing as typed, then half the names near)', `/api/tenants?search=${encodeURIComponent('communee 12')}`, 'typo'],
  ['† No match (« Zanzibar »)', `/api/tenants?search=${encodeURIComponent('Zanzibar')}`, 'typo'],
  ['Pipeline cases, first page', '/api/onboarding/cases', false],
  ['Pipeline cases, search', `/api/onboarding/cases?search=${encodeURIComponent('ench 12')}`, false],
];

/** Adds tenants `from`..`to` (one INSERT … SELECT; each gets its onboarding case from the trigger). */
async function seed(url, from, to) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  await insertBenchTenants(client, from, to);
  for (const [name, siret, slug] of NAMED_TENANTS) await client.query(`INSERT INTO tenant (siret, slug, name) VALUES ($1, $2, $3)`, [siret, slug, name]);
  const ms = performance.now() - started;
  await client.end();
  return ms;
}

/** CPU time (user + system, ms) the process `pid` has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function vacuum(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('VACUUM ANALYZE');
  await client.end();
}

/** A database of `size` tenants and the built API on it, warmed up and vacuumed. */
async function world(size, headersOf) {
  const database = await benchDatabase();
  const seedMs = await seed(database.url, 1, size);
  const headers = headersOf(await staffToken(database.url));
  const api = await startApi(database.url);
  // The first pipeline call stores the SLA deadline of every new case (not measured); then the
  // steady state autovacuum leaves (visibility map set, statistics current).
  await (await fetch(`${api.url}/api/onboarding/pipeline`, { headers })).arrayBuffer();
  await vacuum(database.url);
  return { size, seedMs, database, api, headers };
}

const worlds = [];
try {
  for (const size of SIZES) worlds.push(await world(size, (authorization) => ({ authorization })));
  // Rounds alternate the sizes request type by request type, so that the machine's other work
  // weighs on both sizes alike; each (size, request) pools its latencies over the rounds.
  const pooled = worlds.map(() => CASES.map(() => ({ latencies: [], cpuMs: 0, calls: 0 })));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [c, [, path]] of CASES.entries()) {
      for (const [w, { api, headers }] of worlds.entries()) {
        const cpuBefore = cpuMsOf(api.pid);
        const result = await measure(`${api.url}${path}`, headers, { count: CALLS / ROUNDS, warmup: WARMUP });
        const slot = pooled[w][c];
        slot.latencies.push(...result.latencies);
        slot.cpuMs += cpuMsOf(api.pid) - cpuBefore;
        slot.calls += CALLS / ROUNDS + WARMUP;
      }
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const round1 = (v) => Math.round(v * 10) / 10;
  const results = worlds.map((w, i) => ({
    size: w.size,
    seedMs: w.seedMs,
    rows: CASES.map(([label, path, target], c) => {
      const slot = pooled[i][c];
      const sorted = [...slot.latencies].sort((a, b) => a - b);
      return { label, path, target: target === true, typo: target === 'typo', p50: round1(percentile(sorted, 50)), p95: round1(percentile(sorted, 95)), cpu: Math.round((slot.cpuMs / slot.calls) * 100) / 100 };
    }),
  }));
  for (const r of results) for (const row of r.rows) process.stdout.write(`${r.size} tenants — ${row.label}: p50 ${row.p50} ms, p95 ${row.p95} ms, API CPU ${row.cpu} ms/request\n`);

  const [small, large] = results;
  const ratio = (a, b) => (a > 0 ? Math.round((b / a) * 100) / 100 : NaN);
  const tenantRows = (r) => r.rows.filter((row) => row.path.startsWith('/api/tenants'));
  const targetRows = (r) => r.rows.filter((row) => row.target);
  const worst10k = Math.max(...targetRows(small).map((r) => r.p95));
  const worstTypo10k = Math.max(...small.rows.filter((r) => r.typo).map((r) => r.p95));
  const isFlat = (r, i) => large !== undefined && large.rows[i].p95 <= r.p95 * FLAT_RATIO + 1;
  const notFlat = small.rows.filter((r, i) => !isFlat(r, i)).map((r) => r.label);
  const flat = large ? small.rows.every((r, i) => !r.target || isFlat(r, i)) : false;
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const lines = [
    '# Benchmark: tenant list at 10,000 and 100,000 tenants',
    '',
    `Generated by \`node tools/bench/tenant-list.mjs\` (after \`npm run build\`) on ${new Date().toISOString().slice(0, 10)}:`,
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version},`,
    'PostgreSQL on 127.0.0.1, the built API in production mode as a separate process on a database of its own, one client',
    'sending sequential requests over HTTP with a staff API token (authentication, validation and serialisation included).',
    `Each size has its database and its API; ${CALLS} measured calls per row, in ${ROUNDS} rounds that alternate the two sizes`,
    `request type by request type (${WARMUP} warm-up calls before each), so that the machine's other work weighs on both`,
    `alike. The machine is shared (load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} when this file was written):`,
    'read the medians and the ratios, not the exact milliseconds.',
    '',
    'Counts stop at `LIST_WINDOW` (1,000) rows (`totalCapped`), pages start within that window, and the',
    'search is served by the trigram index `tenant_name_key_trgm_idx` (see docs/architecture.md, Decisions).',
    'Rows marked † are the typo-tolerant searches (docs/tenant-search.md): each world also holds five real names',
    '(« Mairie de Clamart », « Clamart Habitat », « Ville de Clamecy », « Ville de Saint-Étienne », « CCAS de Béziers »).',
    '',
    `| Request | p50 ${SIZES[0]} (ms) | p95 ${SIZES[0]} (ms) | API CPU ${SIZES[0]} (ms) | p50 ${SIZES[1] ?? '-'} (ms) | p95 ${SIZES[1] ?? '-'} (ms) | API CPU ${SIZES[1] ?? '-'} (ms) | p50 ratio | p95 ratio |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...small.rows.map((r, i) => {
      const l = large?.rows[i];
      return `| ${r.target ? '* ' : ''}${r.label} — \`GET ${r.path}\` | ${r.p50} | ${r.p95} | ${r.cpu} | ${l?.p50 ?? '-'} | ${l?.p95 ?? '-'} | ${l?.cpu ?? '-'} | ${l ? ratio(r.p50, l.p50) : '-'} | ${l ? ratio(r.p95, l.p95) : '-'} |`;
    }),
    '',
    'API CPU: the API process\'s user + system time per request (from `/proc`), which other work on the machine',
    'barely changes; p50/p95 are wall times seen by the client and include waiting for a core.',
    '',
    `Seeding: ${results.map((r) => `${r.size} tenants in ${Math.round(r.seedMs)} ms`).join(', ')} (one INSERT … SELECT each; VACUUM ANALYZE after the first pipeline call has stored the cases' deadlines).`,
    '',
    `Medians over the tenant-list rows: p50 ${median(tenantRows(small).map((r) => r.p50))} ms at ${SIZES[0]}` +
      (large ? `, ${median(tenantRows(large).map((r) => r.p50))} ms at ${SIZES[1]} (ratio ${ratio(median(tenantRows(small).map((r) => r.p50)), median(tenantRows(large).map((r) => r.p50)))}).` : '.'),
    '',
    `Target (the three requests marked *): tenant list p95 ≤ ${TARGET_P95_MS} ms at 10,000 tenants — worst p95 measured`,
    `${worst10k} ms: ${worst10k <= TARGET_P95_MS ? 'met' : 'NOT met'}; flat at 100,000 (each p95 within ×${FLAT_RATIO} + 1 ms of its 10,000`,
    `value): ${flat ? 'met' : 'NOT met'}. Rows of the table not flat by that rule: ${notFlat.length > 0 ? notFlat.map((l) => `« ${l} »`).join(', ') : 'none'}.`,
    '',
    `Target of the typo-tolerant searches (rows marked †, issue 16): p95 ≤ ${TYPO_TARGET_P95_MS} ms at 10,000 tenants — worst p95`,
    `measured ${worstTypo10k} ms: ${worstTypo10k <= TYPO_TARGET_P95_MS ? 'met' : 'NOT met'}. A search is first run as typed; only when it finds nothing is it`,
    'run again forgiving typos (two statements more, in a transaction). The worst case (« communee 12 ») near-matches half the',
    'names, whose similarity PostgreSQL computes before the number narrows them: it grows with the table, unlike the others.',
    '',
    'Why the rows that are not flat grow: the broad « ville » search is sorted by relevance, so its matches (a quarter',
    'of the table) are ranked before the first page is cut (`sort=name` walks the name index instead); the typo worst',
    'case computes the similarity of half the names; the pipeline search',
    'visits each matching tenant to sort its case by waiting time, and « ench 12 » matches ten times more',
    'tenants at 100,000. Counts are not the cause: every count stops at 1,001 rows.',
    '',
  ];
  mkdirSync(join(ROOT, 'docs/benchmarks'), { recursive: true });
  writeFileSync(join(ROOT, 'docs/benchmarks/tenant-list.md'), lines.join('\n'));
  process.stdout.write(`worst 10k p95 ${worst10k} ms (target ${TARGET_P95_MS}); typo-tolerant worst 10k p95 ${worstTypo10k} ms (target ${TYPO_TARGET_P95_MS}); flat: ${flat}; written to docs/benchmarks/tenant-list.md\n`);
} finally {
  for (const w of worlds) {
    await w.api.stop();
    await w.database.drop();
  }
}
