import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppError } from '@fcplat/common';
import { LimitStore, type FlexibleLimiter, type LimiterFactory } from './shared-limits.js';

/** The counting rules on rate-limiter-flexible's memory store (the shared stores are tested in apps/api/test/shared-rate-limits.int-spec.ts). */
function memoryStore(seen: string[] = []): LimitStore {
  const make: LimiterFactory = (options) => {
    const limiter = new RateLimiterMemory(options);
    const record = (key: string): string => {
      seen.push(limiter.getKey(key));
      return key;
    };
    return {
      consume: (key, points) => limiter.consume(record(key), points),
      penalty: (key, points) => limiter.penalty(record(key), points),
      get: (key) => limiter.get(record(key)),
      block: (key, secDuration) => limiter.block(record(key), secDuration),
      delete: (key) => limiter.delete(record(key)),
    };
  };
  return new LimitStore(make, 'fcplat-unit');
}

describe('SharedCounters', () => {
  const rule = { max: 3, windowMs: 60_000 };

  it('lets `max` attempts through per window, refuses the next with the window’s remaining seconds, per key', async () => {
    const counters = memoryStore().counters('area');
    for (let i = 0; i < 3; i += 1) {
      expect(await counters.blockedFor('a', rule)).toBeNull();
      expect(await counters.consume('a', rule)).toBeNull();
    }
    expect(await counters.blockedFor('a', rule)).toBe(60);
    expect(await counters.consume('a', rule)).toBe(60);
    expect(await counters.blockedFor('b', rule)).toBeNull();
  });

  it('counts failures without refusing them, and forgets a key on reset', async () => {
    const counters = memoryStore().counters('area');
    for (let i = 0; i < 5; i += 1) await counters.hit('a', rule);
    expect(await counters.blockedFor('a', rule)).toBe(60);
    await counters.reset('a', rule);
    expect(await counters.blockedFor('a', rule)).toBeNull();
  });

  it('keeps namespaces apart (the console’s `login:ip:…` is not the portal’s) and stores no key in clear', async () => {
    const seen: string[] = [];
    const store = memoryStore(seen);
    for (let i = 0; i < 3; i += 1) await store.counters('console').consume('login:ip:192.0.2.1:camille@exemple.fr', rule);
    expect(await store.counters('console').blockedFor('login:ip:192.0.2.1:camille@exemple.fr', rule)).toBe(60);
    expect(await store.counters('portal').blockedFor('login:ip:192.0.2.1:camille@exemple.fr', rule)).toBeNull();
    expect(seen.every((key) => /^fcplat-unit:limits:(console|portal):[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
    expect(seen.join(' ')).not.toMatch(/exemple|192\.0\.2\.1/);
  });

  it('fails closed: a store error becomes a 503 DEPENDENCY_UNAVAILABLE with a French message, for every operation', async () => {
    const down = (): Promise<never> => Promise.reject(new Error('Redis connection is not ready'));
    const broken: FlexibleLimiter = { consume: down, penalty: down, get: down, block: down, delete: down };
    const store = new LimitStore(() => broken, 'fcplat-unit');
    const counters = store.counters('area');
    const throttle = store.throttle('area-throttle', { freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 2000, forgetAfterMs: 60_000 });
    for (const operation of [() => counters.consume('a', rule), () => counters.blockedFor('a', rule), () => counters.hit('a', rule), () => counters.reset('a', rule), () => throttle.waitFor('a'), () => throttle.failed('a')]) {
      const error = await operation().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503, detail: 'Ce service est momentanément indisponible. Réessayez dans quelques instants.' });
    }
  });
});

describe('SharedFailureThrottle', () => {
  const rule = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 };

  it('lets 5 failures through, then makes each further one wait twice as long, up to 15 minutes, per key only', async () => {
    const throttle = memoryStore().throttle('t', rule);
    for (let i = 0; i < 5; i += 1) {
      expect(await throttle.waitFor('ip1:a')).toBeNull();
      await throttle.failed('ip1:a');
    }
    const waits: (number | null)[] = [await throttle.waitFor('ip1:a')];
    for (let i = 0; i < 7; i += 1) {
      await throttle.failed('ip1:a');
      waits.push(await throttle.waitFor('ip1:a'));
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    // Another source, the same e-mail: untouched. A success forgets the key.
    expect(await throttle.waitFor('ip2:a')).toBeNull();
    await throttle.succeeded('ip1:a');
    expect(await throttle.waitFor('ip1:a')).toBeNull();
    await throttle.failed('ip1:a');
    expect(await throttle.waitFor('ip1:a')).toBeNull();
  });

  it('forgets the failures of a key once its counting window is over', async () => {
    const throttle = memoryStore().throttle('t', { freeFailures: 2, baseDelayMs: 1_000, maxDelayMs: 1_000, forgetAfterMs: 1_000 });
    for (let i = 0; i < 2; i += 1) await throttle.failed('k');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await throttle.failed('k');
    expect(await throttle.waitFor('k')).toBeNull();
  });
});
