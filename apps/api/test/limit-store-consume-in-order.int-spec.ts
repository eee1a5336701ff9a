/**
 * `SharedCounters.consumeInOrder` (issue 15): the FranceConnect routes count each request per IP
 * and per tenant in ONE round trip to the shared store (a Lua script on Redis). It must count
 * exactly what a `consume` of each counter in turn counts — the same keys, the same windows, the
 * first refusal stopping the rest — on Redis (production) and on PostgreSQL (the embedded mode,
 * which consumes one counter at a time), and survive a Redis that lost its scripts.
 */
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { migratedTestDataSource, startScratchRedis, testPlatformConfig } from '@fcplat/testing';
import { openLimitStore, type LimitStore, type SharedCounters } from '../src/infrastructure/shared-limits.js';

const MINUTE = 60_000;

describe.each([
  ['Redis', {}],
  ['PostgreSQL (embedded mode)', { QUEUE_BACKEND: 'postgres' }],
] as const)('consumeInOrder, store: %s', (label, backendEnv) => {
  let dataSource: DataSource;
  let config: PlatformConfig;
  let store: LimitStore;
  let counters: SharedCounters;
  let n = 0;
  /** Keys of their own for each test. */
  const key = (name: string): string => `${name}:${(n += 1)}`;

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
    config = await testPlatformConfig(backendEnv);
    store = await openLimitStore(config, dataSource);
    counters = store.counters('in-order-test');
  });

  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  it(label === 'Redis' ? 'has the one-round-trip script' : 'consumes one counter at a time (no script)', () => {
    expect(store.consumeInOrder !== undefined).toBe(label === 'Redis');
  });

  it('counts on the same counters as consume and blockedFor, with the same window', async () => {
    const ip = key('ip');
    const tenant = key('tenant');
    const ipRule = { max: 3, windowMs: 5 * MINUTE };
    const tenantRule = { max: 100, windowMs: 5 * MINUTE };
    expect(await counters.consume(ip, ipRule)).toBeNull(); // 1 on the IP, through rate-limiter-flexible
    expect(await counters.consumeInOrder([{ key: ip, rule: ipRule }, { key: tenant, rule: tenantRule }])).toBeNull(); // 2
    expect(await counters.consumeInOrder([{ key: ip, rule: ipRule }, { key: tenant, rule: tenantRule }])).toBeNull(); // 3: the last of the budget
    expect(await counters.blockedFor(ip, ipRule)).toBe(300); // used up, 5 minutes left
    expect(await counters.blockedFor(tenant, { max: 2, windowMs: 5 * MINUTE })).toBe(300); // 2 counted on the tenant
    expect(await counters.consume(ip, ipRule)).toBe(300); // the 4th, through rate-limiter-flexible: refused
  });

  it('refuses at the first counter beyond its budget, with its index and wait, and leaves the later counters alone', async () => {
    const ip = key('ip');
    const tenant = key('tenant');
    const ipRule = { max: 2, windowMs: MINUTE };
    const tenantRule = { max: 1_000, windowMs: 5 * MINUTE };
    const both = [
      { key: ip, rule: ipRule },
      { key: tenant, rule: tenantRule },
    ];
    expect(await counters.consumeInOrder(both)).toBeNull();
    expect(await counters.consumeInOrder(both)).toBeNull();
    expect(await counters.consumeInOrder(both)).toEqual({ index: 0, wait: 60 });
    expect(await counters.consumeInOrder(both)).toEqual({ index: 0, wait: 60 });
    // The tenant counted the two accepted attempts only.
    expect(await counters.blockedFor(tenant, { max: 2, windowMs: 5 * MINUTE })).toBe(300);
    expect(await counters.blockedFor(tenant, { max: 3, windowMs: 5 * MINUTE })).toBeNull();
    // A later counter refusing: its index.
    const other = key('ip');
    expect(await counters.consumeInOrder([{ key: other, rule: ipRule }, { key: tenant, rule: { max: 2, windowMs: 5 * MINUTE } }])).toEqual({ index: 1, wait: 300 });
  });

  it('keeps counting after Redis lost its scripts (a restart): the script is loaded again', async () => {
    if (config.queue.backend !== 'redis') return;
    // A Redis of its own: flushing the shared one's scripts would disturb the other suites.
    const scratch = await startScratchRedis();
    const own = await openLimitStore({ ...config, queue: { ...config.queue, redisUrl: scratch.url } }, dataSource);
    const redis = new Redis(scratch.url);
    try {
      const ownCounters = own.counters('in-order-test');
      const rule = { max: 1, windowMs: MINUTE };
      expect(await ownCounters.consumeInOrder([{ key: 'a', rule }])).toBeNull(); // loads the script
      expect(await redis.script('FLUSH')).toBe('OK');
      expect(await ownCounters.consumeInOrder([{ key: 'a', rule }])).toEqual({ index: 0, wait: 60 });
      expect(await ownCounters.consumeInOrder([{ key: 'b', rule }])).toBeNull();
    } finally {
      redis.disconnect();
      await own.close();
      await scratch.stop();
    }
  });
});
