/**
 * Counting calls when they leave, with a margin (issue 14, item 5). Slots are booked ahead; a stall
 * between the booking and the departure (here the whole process's event loop blocked for 1.2 s, as a
 * long GC pause or a starved CPU would) used to let every call booked during the stall leave at
 * once: more than the token's limit within one second upstream, and 429s. Departures are now
 * counted in PostgreSQL as they happen, over the upstream's window plus a margin, so no window of
 * the upstream's length sees more than its limit; and a departure the worker was too slow to leave
 * on is moved to the instant it really leaves.
 */
import { eventually } from '@fcplat/testing';
import { LEARNT_CEILING_KEY, departureValidMs, departureWindowMs, tokenBucket, tokenSpec } from '../src/index.js';
import { busiestWindow, enqueueCalls, startApipWorld, type ApipWorld } from './world.js';

describe('a stall between booking a slot and leaving', () => {
  const LIMIT = 20;
  const ARRIVAL_JITTER_TOLERANCE = 3;
  let world: ApipWorld;

  beforeAll(async () => {
    world = await startApipWorld({
      env: { API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: String(LIMIT), API_PARTICULIER_WORKER_CONCURRENCY: '16' },
      standIn: { perTokenPerSecond: LIMIT },
    });
  }, 60_000);
  afterAll(() => world?.close());

  it('keeps every one-second window of the token within its limit upstream, with no 429, after the process stalls for 1.2 s', async () => {
    await world.startWorker({ concurrency: 16 });
    const tenant = await world.tenant();
    const ids = await enqueueCalls(world, tenant, 100);
    const mine = (): typeof world.standIn.journal => world.standIn.journal.filter((e) => e.requestId !== null && ids.includes(e.requestId));
    // Steady state first: jobs are asleep until their booked slots.
    await eventually(() => Promise.resolve(mine().length >= 30), 20_000, '30 calls upstream');
    const stallUntil = Date.now() + 1_200;
    while (Date.now() < stallUntil) {
      // The event loop is blocked: no timer fires, no request leaves, nothing is answered.
    }
    const records = await world.api.ledger.waitForEnd(ids, 60_000);
    expect(records.filter((r) => r.status !== 'succeeded')).toEqual([]);

    const journal = mine();
    const refused = journal.filter((e) => e.status === 429).length;
    const busiest = busiestWindow(journal.filter((e) => e.status !== 429).map((e) => e.at), 1_000);
    // The upstream's own criterion: no 429 in its (aligned) windows. And no burst in any sliding
    // second where the calls arrive: the platform counts at most the limit (20) per 1.03 s when
    // they leave, but arrival times also carry this machine's scheduling delays (the stand-in
    // shares the test's process; under a full suite, 21 or 22 arrivals fell in one sliding second
    // with no 429). The tolerance of 3 is that jitter; the old code sent 35 in one second, or got a 429.
    expect({ refused, overLimit: Math.max(0, busiest - LIMIT - ARRIVAL_JITTER_TOLERANCE) }).toEqual({ refused: 0, overLimit: 0 });
    expect(departureWindowMs({ key: 'any', limit: LIMIT, windowMs: 1_000, burst: 2 })).toBe(1_030);
  }, 90_000);
});

/** The instants (epoch ms) in a bucket's departure log. */
async function countedDepartures(world: ApipWorld, key: string): Promise<{ at: number }[]> {
  return (await world.db.dataSource.query(`SELECT (extract(epoch FROM tat) * 1000)::float8 AS at FROM rate_limit_bucket WHERE key LIKE $1 || '#%' AND tat > '-infinity'`, [key])) as { at: number }[];
}

describe('a departure the worker is too slow to leave on', () => {
  const LIMIT = 20;
  let world: ApipWorld;

  beforeAll(async () => {
    world = await startApipWorld({ env: { API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: String(LIMIT) }, standIn: { perTokenPerSecond: LIMIT } });
  }, 60_000);
  afterAll(() => world?.close());

  it.each([
    // The first departure the limiter grants comes back late, as after a slow commit or a blocked
    // event loop: leaving on it, the request would reach the upstream later than counted, out of the margin.
    ['late', 'is moved to the instant the request leaves when it comes back late, taking no other slot, and the request is sent once'],
    // It comes back fresh, but the event loop is busy right after it (another answer to parse, a
    // garbage collection) while the request's connection opens (a new worker has none yet):
    // counted before, the request would leave four validities after its count.
    ['busy', 'is checked again on the open connection: a count the event loop made stale meanwhile is moved to the write'],
  ] as const)('%s: %s', async (stall, _title) => {
    const worker = await world.startWorker({ concurrency: 1 });
    const tenant = await world.tenant();
    const key = tokenBucket(tenant.minted.token);
    const validMs = departureValidMs([tokenSpec({ ipLimitPerMinute: 1000, tokenLimitPerSecond: LIMIT }, tenant.minted.token)]);
    const limiter = worker.parts.limiter;
    const depart = limiter.depart.bind(limiter);
    let stalledUntil: number | null = null;
    limiter.depart = async (specs) => {
      const departure = await depart(specs);
      if (departure.left && stalledUntil === null && specs.some((s) => s.key === key)) {
        if (stall === 'late') {
          await new Promise((resolve) => setTimeout(resolve, validMs * 4));
          stalledUntil = Date.now();
        } else {
          const until = Date.now() + validMs * 4;
          stalledUntil = until;
          setImmediate(() => {
            while (Date.now() < until) {
              // The event loop is busy.
            }
          });
        }
      }
      return departure;
    };
    try {
      const ids = await enqueueCalls(world, tenant, 1);
      const [record] = await world.api.ledger.waitForEnd(ids, 30_000);
      expect(record?.status).toBe('succeeded');
      expect(stalledUntil).not.toBeNull();
      // One departure on the token's log, dated after the stall (not 60 ms before its end), and one request upstream.
      const counted = await countedDepartures(world, key);
      expect({ counted: counted.length, requests: world.standIn.journal.filter((e) => e.requestId === ids[0]).length }).toEqual({ counted: 1, requests: 1 });
      expect(counted[0]?.at).toBeGreaterThanOrEqual((stalledUntil ?? Number.POSITIVE_INFINITY) - 1);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('sends nothing when the count cannot be kept on the open connection: the call waits for a slot again, no attempt spent', async () => {
    const worker = await world.startWorker({ concurrency: 1 });
    const tenant = await world.tenant();
    // The first check on the open connection finds the count lost (its rows reused, the window full).
    const limiter = worker.parts.limiter;
    const refresh = limiter.refresh.bind(limiter);
    const departFresh = limiter.departFresh.bind(limiter);
    let departing = false;
    limiter.departFresh = async (specs, deadline) => {
      departing = true;
      try {
        return await departFresh(specs, deadline);
      } finally {
        departing = false;
      }
    };
    let lost = 0;
    limiter.refresh = async (specs, departure, deadline) => {
      // Not departFresh's own check: the one on the open connection.
      if (!departing && lost === 0) {
        lost += 1;
        return { left: false, retryInMs: 100, pausedBy: null };
      }
      return refresh(specs, departure, deadline);
    };
    try {
      const ids = await enqueueCalls(world, tenant, 1);
      const [record] = await world.api.ledger.waitForEnd(ids, 30_000);
      expect(lost).toBe(1);
      expect({ status: record?.status, attempts: record?.attempts, requests: world.standIn.journal.filter((e) => e.requestId === ids[0]).length }).toEqual({
        status: 'succeeded',
        attempts: 1,
        requests: 1,
      });
    } finally {
      await worker.stop();
    }
  }, 60_000);
});

describe('a per-IP limit configured higher than the upstream’s', () => {
  const UPSTREAM_PER_MINUTE = 10;
  let world: ApipWorld;

  beforeAll(async () => {
    world = await startApipWorld({
      env: { API_PARTICULIER_IP_LIMIT_PER_MINUTE: '1000', API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: '20' },
      standIn: { perIpPerMinute: UPSTREAM_PER_MINUTE, perTokenPerSecond: 20 },
    });
  }, 60_000);
  afterAll(() => world?.close());

  it('learns the ceiling from RateLimit-Limit, keeps it in PostgreSQL for every worker, and meets no 429 once learnt, over more than a minute', async () => {
    // 250 ms upstream latency: calls are in flight when the upstream's window fills up.
    expect((await world.admin('POST', '/admin/faults', { kind: 'latency', latencyMs: 250, ratio: 1 })).status).toBe(201);
    await world.startWorker({ concurrency: 16 });
    const tenant = await world.tenant();
    const ids = await enqueueCalls(world, tenant, 14);
    const records = await world.api.ledger.waitForEnd(ids, 150_000);
    expect(records.filter((r) => r.status !== 'succeeded')).toEqual([]);
    const journal = world.standIn.journal.filter((e) => e.requestId !== null && ids.includes(e.requestId));
    const start = journal[0]?.at ?? 0;
    const end = journal.at(-1)?.at ?? 0;
    // Calls that left before the first answer taught the ceiling may meet a 429 (how many depends
    // on how fast that answer comes back: on a loaded machine, a few); none that arrived a second
    // after it was learnt (long enough for a call counted just before to have arrived, and for
    // every worker to have read it). It is learnt from the first answers, not after a minute of 429s.
    const learnt = await world.api.limiter.learntCeiling(LEARNT_CEILING_KEY);
    const learntAt = learnt?.learntAt.getTime() ?? Number.POSITIVE_INFINITY;
    const refusedLater = journal.filter((e) => e.status === 429 && e.at >= learntAt + 1_000).length;
    const busiestMinute = busiestWindow(journal.filter((e) => e.status !== 429).map((e) => e.at), 60_000);
    // Calls went on across more than one upstream minute, each (sliding) minute within the upstream's limit.
    expect({ refusedLater, overLimit: Math.max(0, busiestMinute - UPSTREAM_PER_MINUTE), tookMoreThanAMinute: end - start > 60_000 }).toEqual({
      refusedLater: 0,
      overLimit: 0,
      tookMoreThanAMinute: true,
    });
    // Learnt where every worker (and the staff dashboard) reads it, within a few seconds of the first call.
    expect(learnt).toMatchObject({ limit: UPSTREAM_PER_MINUTE });
    expect(learntAt - start).toBeLessThan(3_000);
  }, 200_000);
});
