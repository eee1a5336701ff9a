/** The shared rate limits against a real PostgreSQL: reservations, spacing, pauses, concurrency. */
import { createDataSource, revertLastMigration, runMigrations } from '@fcplat/db';
import { scratchMigratedDatabase, testDatabaseConfig, withScratchDatabase, type ScratchDatabase } from '@fcplat/testing';
import { LEARNT_CEILING_KEY, PLATFORM_BUCKET, PgRateLimiter, departureWindowMs, intervalOf, type BucketSpec } from '../src/index.js';

describe('PgRateLimiter', () => {
  let db: ScratchDatabase;
  let limiter: PgRateLimiter;

  beforeAll(async () => {
    db = await scratchMigratedDatabase();
    limiter = new PgRateLimiter(db.dataSource);
  });
  afterAll(() => db.drop());

  it('grants the burst at once, then books slots spaced by the interval, and refuses beyond the horizon', async () => {
    const spec: BucketSpec = { key: 'test:spacing', limit: 12, windowMs: 1000, burst: 2 };
    const waits: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const r = await limiter.reserve([spec], 400);
      if (r.granted) waits.push(r.waitMs);
      else waits.push(-1);
    }
    const interval = intervalOf(spec); // 1030 ms / 12
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    // Booked slots go further and further: each wait is about one interval more than the last.
    for (let i = 2; i < 5; i += 1) expect(waits[i]).toBeGreaterThan((i - 2) * interval);
    expect(waits.filter((w) => w === -1).length).toBeLessThanOrEqual(2);
  });

  it('books the same instant on every key: the slowest bucket decides', async () => {
    const fast: BucketSpec = { key: 'test:fast', limit: 1000, windowMs: 1000, burst: 1 };
    const slow: BucketSpec = { key: 'test:slow', limit: 2, windowMs: 1000, burst: 1 };
    expect(await limiter.reserve([fast, slow], 5000)).toMatchObject({ granted: true, waitMs: 0 });
    const second = await limiter.reserve([fast, slow], 5000);
    // The slow bucket's pace (510 ms), less the time between the two calls; the fast one's is 1 ms.
    expect(second.granted && second.waitMs).toBeGreaterThan(intervalOf(slow) / 2);
  });

  it('refuses every reservation on a paused key until the pause ends, and never shortens a pause', async () => {
    const spec: BucketSpec = { key: 'test:paused', limit: 100, windowMs: 1000, burst: 5 };
    await limiter.pause(spec.key, 3000, '429 00429');
    await limiter.pause(spec.key, 100, 'shorter');
    const refused = await limiter.reserve([spec], 10_000);
    expect(refused.granted).toBe(false);
    if (!refused.granted) {
      expect(refused.pausedBy).toBe(spec.key);
      expect(refused.retryInMs).toBeGreaterThan(2500);
    }
    const pauses = await limiter.activePauses();
    expect(pauses.find((p) => p.key === spec.key)?.reason).toBe('shorter');
  });

  it('books distinct slots at the departures’ pace when many callers race (the limit itself is kept at departure)', async () => {
    const spec: BucketSpec = { key: 'test:race', limit: 20, windowMs: 1000, burst: 2 };
    const results = await Promise.all(Array.from({ length: 60 }, () => limiter.reserve([spec], 1000)));
    const slots = results.flatMap((r) => (r.granted ? [r.at] : [])).sort((a, b) => a - b);
    // However the racers interleave, no slot is booked twice: a window of the departures' length
    // (1.03 s = limit intervals T) holds at most ⌊(W + τ) / T⌋ + 1 = limit + burst slots (GCRA's
    // bound, τ = (burst − 1) T: the burst's tolerance on top of the pace).
    const windowMs = departureWindowMs(spec);
    for (const start of slots) expect(slots.filter((at) => at >= start && at < start + windowMs).length).toBeLessThanOrEqual(spec.limit + spec.burst);
    expect(slots.length).toBeGreaterThanOrEqual(18);
  });

  it('counts calls when they leave: slots booked over a stall cannot leave together beyond the limit in a window', async () => {
    const spec: BucketSpec = { key: 'test:depart', limit: 20, windowMs: 1000, burst: 2 };
    // 40 slots booked over two seconds, then a stall: every booked instant has passed when they try to leave.
    for (let i = 0; i < 40; i += 1) await limiter.reserve([spec], 2_000);
    const departures = await Promise.all(Array.from({ length: 40 }, () => limiter.depart([spec])));
    expect(departures.filter((d) => d.left)).toHaveLength(20);
    const refused = departures.flatMap((d) => (d.left ? [] : [d.retryInMs]));
    expect(refused).toHaveLength(20);
    // The others are told to wait about a window, not to retry at once.
    for (const wait of refused) expect(wait).toBeGreaterThan(500);
  });

  it('a paused bucket lets no call leave', async () => {
    const spec: BucketSpec = { key: 'test:depart-paused', limit: 20, windowMs: 1000, burst: 2 };
    await limiter.pause(spec.key, 2_000, '429 00429');
    expect(await limiter.depart([spec])).toMatchObject({ left: false, pausedBy: spec.key });
  });

  it('keeps the learnt per-IP ceiling in columns of the platform bucket’s row, apart from its pauses and reservations', async () => {
    expect(LEARNT_CEILING_KEY).toBe(PLATFORM_BUCKET);
    expect(await limiter.learntCeiling(LEARNT_CEILING_KEY)).toBeNull();
    await limiter.learnCeiling(LEARNT_CEILING_KEY, 60, 'RateLimit-Limit');
    const first = await limiter.learntCeiling(LEARNT_CEILING_KEY);
    expect(first).toEqual({ limit: 60, source: 'RateLimit-Limit', learntAt: expect.any(Date) });
    // The bucket's own life (a pause, a reservation) leaves it alone, and it never reads as a pause.
    await limiter.pause(PLATFORM_BUCKET, 1_000, '429 00429');
    await limiter.reserve([{ key: PLATFORM_BUCKET, limit: 60, windowMs: 60_000, burst: 1 }], 60_000);
    expect(await limiter.learntCeiling(LEARNT_CEILING_KEY)).toEqual(first);
    expect((await limiter.activePauses()).find((p) => p.key === PLATFORM_BUCKET)?.reason).toBe('429 00429');
    // The same value again changes nothing; a new one replaces it.
    await limiter.learnCeiling(LEARNT_CEILING_KEY, 60, '429');
    expect(await limiter.learntCeiling(LEARNT_CEILING_KEY)).toEqual(first);
    await limiter.learnCeiling(LEARNT_CEILING_KEY, 50, '429');
    expect(await limiter.learntCeiling(LEARNT_CEILING_KEY)).toMatchObject({ limit: 50, source: '429' });
    const [row] = (await db.dataSource.query(`SELECT learnt_limit, pause_reason FROM rate_limit_bucket WHERE key = $1`, [PLATFORM_BUCKET])) as { learnt_limit: number; pause_reason: string }[];
    expect(row).toEqual({ learnt_limit: 50, pause_reason: '429 00429' });
  });

  it('the migration moves a ceiling learnt before it (a `learnt:<n>:<source>` string) into the columns, and back on revert', async () => {
    await withScratchDatabase(async (url) => {
      const scratch = createDataSource({ ...testDatabaseConfig(), url }, { applicationName: 'fcplat-test-ceiling' });
      await scratch.initialize();
      try {
        await runMigrations(scratch);
        // Back to the schema before the columns (the ceiling migration is the last one touching this table).
        while (await hasColumn(scratch, 'learnt_limit')) await revertLastMigration(scratch);
        await scratch.query(`INSERT INTO rate_limit_bucket (key, tat, pause_reason) VALUES ('apip:ip:learnt-ceiling', '-infinity', 'learnt:60:RateLimit-Limit')`);
        await runMigrations(scratch);
        expect(await new PgRateLimiter(scratch).learntCeiling(LEARNT_CEILING_KEY)).toMatchObject({ limit: 60, source: 'RateLimit-Limit' });
        expect(await scratch.query(`SELECT key FROM rate_limit_bucket WHERE key = 'apip:ip:learnt-ceiling'`)).toEqual([]);
        while (await hasColumn(scratch, 'learnt_limit')) await revertLastMigration(scratch);
        expect(await scratch.query(`SELECT pause_reason FROM rate_limit_bucket WHERE key = 'apip:ip:learnt-ceiling'`)).toEqual([{ pause_reason: 'learnt:60:RateLimit-Limit' }]);
      } finally {
        await scratch.destroy();
      }
    });
  });
});

async function hasColumn(dataSource: ReturnType<typeof createDataSource>, column: string): Promise<boolean> {
  const rows = (await dataSource.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'rate_limit_bucket' AND column_name = $1`, [column])) as unknown[];
  return rows.length > 0;
}
