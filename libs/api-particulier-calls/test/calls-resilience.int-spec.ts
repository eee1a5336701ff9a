/**
 * API Particulier calls when things go wrong: 429 storms (SR-33), a worker killed with SIGKILL in
 * the middle of a batch (SR-31) and Redis restarted empty. Nothing is lost, no call is recorded
 * twice, and a 429 is never called through.
 */
import { eventually, makeApiParticulierTenant, spawnBuilt, startScratchRedis, testProcessEnv, type ScratchRedis, type SpawnedProcess } from '@fcplat/testing';
import { tokenBucket, type CallRecord } from '../src/index.js';
import { enqueueCalls, startApipWorld, type ApipWorld } from './world.js';

/** Calls accepted upstream more than once (at-least-once delivery made a second request). */
function acceptedTwiceIds(world: ApipWorld, ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  const counts = new Map<string, number>();
  for (const e of world.standIn.journal) {
    if (e.requestId && wanted.has(e.requestId) && e.status !== null && e.status !== 429) counts.set(e.requestId, (counts.get(e.requestId) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
}

function acceptedTwice(world: ApipWorld, ids: readonly string[]): number {
  return acceptedTwiceIds(world, ids).length;
}

function expectAllSucceededOnce(records: readonly CallRecord[], ids: readonly string[]): void {
  expect(records).toHaveLength(ids.length);
  expect(records.filter((r) => r.status !== 'succeeded').map((r) => [r.status, r.errorCode])).toEqual([]);
  expect(new Set(records.map((r) => r.id)).size).toBe(ids.length);
}

describe('429 storms', () => {
  let world: ApipWorld;
  beforeAll(async () => {
    world = await startApipWorld({ env: { API_PARTICULIER_WORKER_CONCURRENCY: '4' } });
    await world.startWorker();
  }, 60_000);
  afterAll(() => world?.close());

  it('an unknown limit (the upstream allows fewer calls than configured): every 429 pauses the platform until the reset, no attempt is consumed, nothing is lost', async () => {
    expect((await world.admin('POST', '/admin/limits', { perTokenPerSecond: 4 })).status).toBe(200);
    const tenant = await world.tenant();
    const ids = await enqueueCalls(world, tenant, 32);
    const records = await world.api.ledger.waitForEnd(ids, 40_000);
    expectAllSucceededOnce(records, ids);
    expect(records.every((r) => r.attempts === 1)).toBe(true);
    expect(records.reduce((sum, r) => sum + r.rateLimited, 0)).toBeGreaterThan(0);
    // Never called through a 429: after each one, silence until the window resets (next second).
    const journal = world.standIn.journal.filter((e) => e.requestId && ids.includes(e.requestId));
    const refusals = journal.filter((e) => e.status === 429);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      const reset = Math.floor(refusal.at / 1000) * 1000 + 1000;
      const during = journal.filter((e) => e.at > refusal.at + 150 && e.at < reset);
      expect({ refusal: refusal.at, during: during.map((e) => e.at) }).toEqual({ refusal: refusal.at, during: [] });
    }
    expect(acceptedTwice(world, ids)).toBe(0);
    await world.admin('POST', '/admin/limits', { perTokenPerSecond: 20 });
  }, 60_000);

  it('a per-token 429 pauses only that token: another tenant goes on during the pause', async () => {
    const env = { API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: '5', API_PARTICULIER_WORKER_CONCURRENCY: '4' };
    const own = await startApipWorld({ env, standIn: { perTokenPerSecond: 5 } });
    try {
      await own.startWorker();
      const a = await own.tenant();
      const b = await own.tenant();
      // Someone else keeps spending A's token (as fast as it can, against a limit of 5 a second) until
      // B's calls have ended: A's calls meet 429s whatever the machine's load (waiting for one
      // wall-clock second, as this test once did, made it flaky when the calls slipped into the next).
      const url = `${own.standInUrl}/v3/dss/quotient_familial/identite?recipient=${a.siret}&nomNaissance=X&prenoms[]=Y&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=75107`;
      let hammering = true;
      const hammer = (async () => {
        while (hammering) {
          await fetch(url, { headers: { authorization: `Bearer ${a.minted.token}` } }).then((r) => r.arrayBuffer());
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      let bIds: string[] = [];
      let aIds: string[] = [];
      try {
        const refusedA = (): boolean => own.standIn.journal.some((e) => e.status === 429 && e.requestId !== null && aIds.includes(e.requestId));
        await eventually(async () => own.standIn.journal.some((e) => e.status === 429 && e.requestId === null), 10_000, 'the window of A’s token spent');
        // A's calls may still slip into the first slots of a new second: more of them until one is refused.
        for (let round = 0; round < 5 && !refusedA(); round++) {
          const more = await enqueueCalls(own, a, 3);
          aIds = [...aIds, ...more];
          await eventually(async () => refusedA() || (await own.api.ledger.records(more)).every((r) => r.status === 'succeeded' || r.status === 'failed'), 15_000, 'A’s calls refused or ended');
        }
        expect(refusedA()).toBe(true);
        // A's token is paused now: B, with its own token, goes on meanwhile.
        bIds = await enqueueCalls(own, b, 3);
        const bRecords = await own.api.ledger.waitForEnd(bIds, 20_000);
        expectAllSucceededOnce(bRecords, bIds);
      } finally {
        hammering = false;
        await hammer;
      }
      const records = await own.api.ledger.waitForEnd([...aIds, ...bIds], 20_000);
      expectAllSucceededOnce(records, [...aIds, ...bIds]);
      const journal = own.standIn.journal;
      expect(journal.filter((e) => e.requestId !== null && bIds.includes(e.requestId) && e.status === 429)).toEqual([]);
      // Only A's token was paused by its 429s, never the platform.
      const pauses = (await own.db.dataSource.query(`SELECT key, pause_reason FROM rate_limit_bucket WHERE pause_reason LIKE '429%'`)) as { key: string; pause_reason: string }[];
      expect(pauses.map((p) => p.key)).toEqual([tokenBucket(a.minted.token)]);
      // Never called through A's pause: after each refusal, silence on A's calls until the window resets.
      const aJournal = journal.filter((e) => e.requestId !== null && aIds.includes(e.requestId));
      for (const refusal of aJournal.filter((e) => e.status === 429)) {
        const reset = Math.floor(refusal.at / 1000) * 1000 + 1000;
        const during = aJournal.filter((e) => e.at > refusal.at + 150 && e.at < reset);
        expect({ refusal: refusal.at, during: during.map((e) => e.at) }).toEqual({ refusal: refusal.at, during: [] });
      }
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('a token shared by several tenants', () => {
  it('keeps the tenants that share one token within that token’s limit together; a tenant with its own token keeps its own budget', async () => {
    const env = { API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: '5', API_PARTICULIER_WORKER_CONCURRENCY: '4' };
    const own = await startApipWorld({ env, standIn: { perTokenPerSecond: 5 } });
    try {
      await own.startWorker();
      const a = await own.tenant();
      // An editor-wide token: the same one stored for a second tenant.
      const b = await makeApiParticulierTenant(own.db.dataSource, { token: a.minted.token });
      const c = await own.tenant();
      const shared = [...(await enqueueCalls(own, a, 10)), ...(await enqueueCalls(own, b, 10))];
      const alone = await enqueueCalls(own, c, 10);
      const records = await own.api.ledger.waitForEnd([...shared, ...alone], 40_000);
      expectAllSucceededOnce(records, [...shared, ...alone]);
      const journal = own.standIn.journal.filter((e) => e.requestId !== null && [...shared, ...alone].includes(e.requestId));
      // Counted per token upstream: one bucket for A and B together, so no 429 on their token.
      const sharedCalls = journal.filter((e) => shared.includes(e.requestId ?? ''));
      expect(sharedCalls.filter((e) => e.status === 429)).toEqual([]);
      const perWindow = new Map<number, number>();
      for (const e of sharedCalls) perWindow.set(Math.floor(e.at / 1000), (perWindow.get(Math.floor(e.at / 1000)) ?? 0) + 1);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
      expect(new Set(sharedCalls.map((e) => e.tokenId)).size).toBe(1);
      // C's token is another bucket: its calls were not refused either, and went on beside A and B's.
      const aloneCalls = journal.filter((e) => alone.includes(e.requestId ?? ''));
      expect(aloneCalls.filter((e) => e.status === 429)).toEqual([]);
      expect(aloneCalls[0]?.tokenId).not.toBe(sharedCalls[0]?.tokenId);
    } finally {
      await own.close();
    }
  }, 60_000);
});

/** A built worker process on the world's database, queue and stand-in (`extra` overrides its environment), registered in `workers`. */
async function spawnWorkerOf(world: ApipWorld, workers: SpawnedProcess[], extra: Record<string, string> = {}): Promise<SpawnedProcess> {
  const env = testProcessEnv({
    DATABASE_URL: world.db.url,
    QUEUE_PREFIX: world.config.queue.prefix,
    SANDBOX_API_PARTICULIER_URL: world.standInUrl,
    API_PARTICULIER_WORKER_CONCURRENCY: '6',
    API_PARTICULIER_TIMEOUT_MS: '3000',
    HEARTBEAT_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const worker = spawnBuilt('apps/worker/dist/main.js', env);
  workers.push(worker);
  // Ready once the stand-in sees its first call or after a short grace period.
  await new Promise((r) => setTimeout(r, 1500));
  return worker;
}

/**
 * Registers on the calling `describe`: before all, a world of its own (`started` receives it);
 * after all, the built workers spawned in it (the returned list) killed and the world closed.
 */
function worldForBuiltWorkers(started: (world: ApipWorld) => void): SpawnedProcess[] {
  let world: ApipWorld | undefined;
  const workers: SpawnedProcess[] = [];
  beforeAll(async () => {
    world = await startApipWorld();
    started(world);
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await world?.close();
  });
  return workers;
}

describe('a worker told to stop (SIGTERM) while its calls are still out', () => {
  let world: ApipWorld;
  const workers = worldForBuiltWorkers((started) => (world = started));

  const exitWithin = (worker: SpawnedProcess, ms: number): Promise<{ code: number | null }> =>
    Promise.race([worker.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`worker still running ${ms} ms after SIGTERM: ${worker.output().slice(-2000)}`)), ms))]);

  it('finishes the calls in progress before it exits: each answered and recorded once, by this worker', async () => {
    const tenant = await world.tenant();
    // Answers that take 1.5 s: still out when the signal comes, well within the stop's 20 s.
    await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 1_500, ratio: 1, recipient: tenant.siret });
    const stopping = await spawnWorkerOf(world, workers, { STOP_TIMEOUT_SECONDS: '20' });
    const ids = await enqueueCalls(world, tenant, 3);
    await eventually(async () => world.upstream.inFlight === 3 || null, 20_000, 'the three calls out');
    stopping.child.kill('SIGTERM');
    expect((await exitWithin(stopping, 20_000)).code).toBe(0);
    // Ended before the process exited, none cut (a cut request is a network error, retried: a second attempt, an ambiguous one).
    const records = await world.api.ledger.records(ids);
    expect(records.map((r) => ({ status: r.status, attempts: r.attempts, ambiguous: r.ambiguousAttempts }))).toEqual(ids.map(() => ({ status: 'succeeded', attempts: 1, ambiguous: 0 })));
    expect(acceptedTwice(world, ids)).toBe(0);
    expect((await world.admin('DELETE', '/admin/faults')).status).toBe(204);
  }, 60_000);

  it('exits 1 at STOP_TIMEOUT_SECONDS naming the jobs it leaves, and another worker ends them, each recorded once', async () => {
    const tenant = await world.tenant();
    // Answers that take 8 s: the calls are still out when the stop's 2 s are over.
    await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 8_000, ratio: 1, recipient: tenant.siret });
    const stopping = await spawnWorkerOf(world, workers, { STOP_TIMEOUT_SECONDS: '2', API_PARTICULIER_TIMEOUT_MS: '20000'});
    const ids = await enqueueCalls(world, tenant, 3);
    // The stand-in's journal records a request when it answers: the requests out are counted as they arrive.
    await eventually(async () => world.upstream.inFlight === 3 || null, 20_000, 'the three calls out');
    const stoppedAt = Date.now();
    stopping.child.kill('SIGTERM');
    const exit = await exitWithin(stopping, 20_000);
    // Reported, not asserted as a timing: it left at its deadline, not when the answers came (8 s).
    process.stdout.write(`Worker SIGTERM with calls out: exited ${Date.now() - stoppedAt} ms later (STOP_TIMEOUT_SECONDS=2)\n`);
    expect(exit.code).toBe(1);
    expect(stopping.output()).toContain('stop deadline passed: exiting with jobs still running, left to another worker');
    expect(stopping.output()).toContain('"jobsRunning":{"api-particulier":3}');
    expect((await world.admin('DELETE', '/admin/faults')).status).toBe(204);
    await spawnWorkerOf(world, workers);
    const records = await world.api.ledger.waitForEnd(ids, 60_000, 200);
    expectAllSucceededOnce(records, ids);
  }, 120_000);
});

describe('a worker killed with SIGKILL mid-batch', () => {
  let world: ApipWorld;
  const workers = worldForBuiltWorkers((started) => (world = started));

  const spawnWorker = (): Promise<SpawnedProcess> => spawnWorkerOf(world, workers);

  it('loses nothing: the killed worker’s calls are taken over within 10 s by the surviving worker and end, each recorded once, duplicates counted', async () => {
    const tenant = await world.tenant();
    await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 400, ratio: 1, recipient: tenant.siret });
    const doomed = await spawnWorker();
    const survivor = await spawnWorker();
    const ids = await enqueueCalls(world, tenant, 120);
    for (;;) {
      const [{ n }] = (await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE status = 'succeeded'`)) as [{ n: number }];
      if (n >= 30) break;
      if (doomed.child.exitCode !== null) throw new Error(`worker exited: ${doomed.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const killedAt = Date.now();
    const runningNow = async (): Promise<Map<string, number>> =>
      new Map(((await world.db.dataSource.query(`SELECT id, attempts FROM api_particulier_call WHERE status = 'running'`)) as { id: string; attempts: number }[]).map((r) => [r.id, r.attempts]));
    const atKill = await runningNow();
    // The survivor's own calls take 400 ms: a call still in the same attempt 1 s later is the dead worker's.
    await new Promise((r) => setTimeout(r, 1_000));
    const later = await runningNow();
    const orphans = [...atKill].filter(([id, attempts]) => later.get(id) === attempts).map(([id]) => id);
    let takenOverAfterMs: number | null = null;
    while (Date.now() - killedAt < 30_000) {
      const open = (await world.api.ledger.records(orphans)).filter((r) => r.status !== 'succeeded' && r.status !== 'failed');
      if (open.length === 0) {
        takenOverAfterMs = Date.now() - killedAt;
        break;
      }
      if (survivor.child.exitCode !== null) throw new Error(`worker exited: ${survivor.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Printed for the record (docs/api-particulier.md): the measured takeover time.
    process.stdout.write(`Worker SIGKILL: ${orphans.length} orphaned calls ended ${takenOverAfterMs ?? 'not within 30000'} ms after the kill\n`);
    expect(orphans.length).toBeGreaterThan(0);
    expect(takenOverAfterMs).not.toBeNull();
    expect(takenOverAfterMs).toBeLessThanOrEqual(10_000);
    const records = await world.api.ledger.waitForEnd(ids, 60_000, 200);
    expectAllSucceededOnce(records, ids);
    // Only calls that were in flight at the kill can have reached the upstream twice (at-least-once),
    // and every one that did is counted on its record as an ambiguous attempt (visible to staff).
    const twice = acceptedTwiceIds(world, ids);
    expect(twice.length).toBeLessThanOrEqual(orphans.length);
    const byId = new Map(records.map((r) => [r.id, r]));
    expect(twice.filter((id) => (byId.get(id)?.ambiguousAttempts ?? 0) < 1)).toEqual([]);
    expect(orphans.filter((id) => (byId.get(id)?.ambiguousAttempts ?? 0) < 1)).toEqual([]);
    process.stdout.write(`Worker SIGKILL: ${twice.length} calls reached the upstream twice, ${records.reduce((n, r) => n + r.ambiguousAttempts, 0)} ambiguous attempts recorded\n`);
    const [{ n: rows }] = (await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call`)) as [{ n: number }];
    expect(rows).toBe(120);
  }, 200_000);
});

/** The scratch Redis of a world's queue, stopped and started again on its port by the test. */
interface RestartableRedis {
  stop(): Promise<void>;
  /** Starts an empty Redis on the same port. */
  restart(): Promise<void>;
}

/**
 * Registers on the calling `describe`: before all, a scratch Redis of its own and a world whose
 * queue is on it (`started` receives it), its worker reaping lost calls after `reaperAfterMs`;
 * after all, the world and Redis stopped.
 */
function worldOnOwnRedis(reaperAfterMs: number, started: (world: ApipWorld) => void): RestartableRedis {
  let redis: ScratchRedis | undefined;
  let world: ApipWorld | undefined;
  let port = 0;
  beforeAll(async () => {
    redis = await startScratchRedis();
    port = Number(new URL(redis.url).port);
    world = await startApipWorld({ env: { REDIS_URL: redis.url, API_PARTICULIER_WORKER_CONCURRENCY: '4' } });
    await world.startWorker({ tuning: { reaperAfterMs } });
    started(world);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await redis?.stop();
  });
  return {
    stop: async () => {
      await redis?.stop();
    },
    restart: async () => {
      redis = await startScratchRedis([], port);
    },
  };
}

describe('Redis restarted empty', () => {
  let world: ApipWorld;
  const redis = worldOnOwnRedis(1000, (started) => (world = started));

  it('the calls whose jobs vanished are found again in PostgreSQL and end', async () => {
    const tenant = await world.tenant();
    await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 100, ratio: 1, recipient: tenant.siret });
    const ids = await enqueueCalls(world, tenant, 60);
    for (;;) {
      const [{ n }] = (await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE status = 'succeeded'`)) as [{ n: number }];
      if (n >= 10) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.restart();
    const records = await world.api.ledger.waitForEnd(ids, 90_000, 500);
    expectAllSucceededOnce(records, ids);
    expect(acceptedTwice(world, ids)).toBeLessThanOrEqual(4);
  }, 120_000);
});

describe('Redis restarted mid-batch, with the reaper at its production threshold (60 s)', () => {
  let world: ApipWorld;
  const redis = worldOnOwnRedis(60_000, (started) => (world = started));

  const count = async (status: string): Promise<number> => {
    const [{ n }] = (await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE status = $1`, [status])) as [{ n: number }];
    return n;
  };

  it('calls resume within 10 s of Redis answering again, and all end once', async () => {
    const tenant = await world.tenant();
    await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 100, ratio: 1, recipient: tenant.siret });
    const ids = await enqueueCalls(world, tenant, 60);
    while ((await count('succeeded')) < 10) await new Promise((r) => setTimeout(r, 50));
    await redis.stop();
    // Down long enough for the dispatcher to try (and fail) to add jobs, and for in-flight calls to end.
    const downSince = Date.now();
    while (Date.now() - downSince < 2_500 || (await count('running')) > 0) await new Promise((r) => setTimeout(r, 100));
    const before = await count('succeeded');
    await redis.restart();
    const back = Date.now();
    let resumedAfterMs: number | null = null;
    while (Date.now() - back < 15_000) {
      if ((await count('succeeded')) > before) {
        resumedAfterMs = Date.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // Printed for the record (docs/api-particulier.md): the measured recovery time.
    process.stdout.write(`Redis restart: first call ended ${resumedAfterMs ?? 'never (> 15000)'} ms after Redis answered again\n`);
    expect(resumedAfterMs).not.toBeNull();
    expect(resumedAfterMs).toBeLessThanOrEqual(10_000);
    const records = await world.api.ledger.waitForEnd(ids, 30_000, 200);
    expectAllSucceededOnce(records, ids);
    expect(world.logs.filter((l) => l.message.includes('re-enqueued by the reaper'))).toEqual([]);
  }, 90_000);
});

describe('a call whose job failed for good in BullMQ', () => {
  let world: ApipWorld;
  beforeAll(async () => {
    world = await startApipWorld({ env: { API_PARTICULIER_WORKER_CONCURRENCY: '2', API_PARTICULIER_MAX_ATTEMPTS: '2' } });
  }, 60_000);
  afterAll(() => world?.close());

  it('is dispatched again under the same job id once the cause is gone: the failed job does not keep its id in the queue', async () => {
    const tenant = await world.tenant();
    const [id] = await enqueueCalls(world, tenant, 1);
    // An unexpected failure at every attempt (not an API Particulier error: the stored input cannot
    // be decrypted), so BullMQ fails the job for good while the call is still open in the ledger.
    const [{ input_ciphertext: original }] = (await world.db.dataSource.query(`SELECT input_ciphertext FROM api_particulier_call WHERE id = $1`, [id])) as [{ input_ciphertext: string }];
    await world.db.dataSource.query(`UPDATE api_particulier_call SET input_ciphertext = $2 WHERE id = $1`, [id, `${original.slice(0, -8)}AAAAAAAA`]);
    await world.startWorker({ tuning: { reaperAfterMs: 1_000 } });
    await eventually(async () => {
      const rows = (await world.db.dataSource.query(`SELECT status FROM job_outcome WHERE job_id = $1`, [id])) as { status: string }[];
      return rows[0]?.status === 'failed';
    }, 60_000, 'the job failed for good');
    const [open] = await world.api.ledger.records([id as string]);
    expect(['running', 'retrying', 'dispatched']).toContain(open?.status);
    // The cause goes away; the reaper re-adds the job (same id) and the call ends.
    await world.db.dataSource.query(`UPDATE api_particulier_call SET input_ciphertext = $2 WHERE id = $1`, [id, original]);
    const [record] = await world.api.ledger.waitForEnd([id as string], 30_000);
    expect(record?.status).toBe('succeeded');
    expect(world.standIn.journal.filter((e) => e.requestId === id && e.status === 200)).toHaveLength(1);
  }, 120_000);

  it('fails for good after rounds of unexpected failures, instead of coming back every minute for ever', async () => {
    const tenant = await world.tenant();
    const [id] = await enqueueCalls(world, tenant, 1);
    await world.db.dataSource.query(`UPDATE api_particulier_call SET input_ciphertext = left(input_ciphertext, -8) || 'AAAAAAAA' WHERE id = $1`, [id]);
    const [record] = await world.api.ledger.waitForEnd([id as string], 100_000, 500);
    expect(record).toMatchObject({ status: 'failed', errorCode: 'APIP_TOO_MANY_ATTEMPTS' });
    // Two attempts a round (API_PARTICULIER_MAX_ATTEMPTS=2), five rounds, then the one that gives up.
    const [{ attempts }] = (await world.db.dataSource.query(`SELECT attempts FROM api_particulier_call WHERE id = $1`, [id])) as [{ attempts: number }];
    expect(attempts).toBe(11);
    expect(world.standIn.journal.filter((e) => e.requestId === id)).toEqual([]);
  }, 150_000);
});
