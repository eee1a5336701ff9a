import { AttemptLimiter, FailureThrottle } from './rate-limiter.js';

describe('AttemptLimiter', () => {
  const rule = { max: 3, windowMs: 60_000 };

  it('blocks a key once it used its budget, until the window ends, and tells how long to wait', () => {
    let now = 1_000_000;
    const limiter = new AttemptLimiter(() => now);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.blockedFor('a', rule)).toBeNull();
      limiter.hit('a', rule);
    }
    expect(limiter.blockedFor('a', rule)).toBe(60);
    expect(limiter.blockedFor('b', rule)).toBeNull();
    now += 59_500;
    expect(limiter.blockedFor('a', rule)).toBe(1);
    now += 500;
    expect(limiter.blockedFor('a', rule)).toBeNull();
    limiter.hit('a', rule);
    expect(limiter.blockedFor('a', rule)).toBeNull();
  });

  it('forgets a key on reset', () => {
    const limiter = new AttemptLimiter(() => 0);
    for (let i = 0; i < 3; i += 1) limiter.hit('a', rule);
    limiter.reset('a');
    expect(limiter.blockedFor('a', rule)).toBeNull();
  });

  it('keeps memory bounded under a flood of distinct keys', () => {
    const limiter = new AttemptLimiter(() => 0);
    for (let i = 0; i < 50_000; i += 1) limiter.hit(`k${i}`, rule);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10_000);
    // The most recent keys are still counted.
    for (let i = 0; i < 2; i += 1) limiter.hit('k49999', rule);
    expect(limiter.blockedFor('k49999', rule)).toBe(60);
  });
});

describe('FailureThrottle', () => {
  const rule = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 };

  it('lets 5 failures through, then makes each further one wait twice as long, up to 15 minutes, per key only', () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle(rule, () => now);
    for (let i = 0; i < 4; i += 1) {
      throttle.failed('ip1:a');
      expect(throttle.waitFor('ip1:a')).toBeNull();
    }
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      throttle.failed('ip1:a');
      const wait = throttle.waitFor('ip1:a') ?? 0;
      waits.push(wait);
      now += wait * 1000;
      expect(throttle.waitFor('ip1:a')).toBeNull();
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    // Another source, the same e-mail: untouched. A success forgets the key.
    expect(throttle.waitFor('ip2:a')).toBeNull();
    throttle.failed('ip1:a');
    throttle.succeeded('ip1:a');
    expect(throttle.waitFor('ip1:a')).toBeNull();
  });

  it('forgets a key after a day without failure', () => {
    let now = 0;
    const throttle = new FailureThrottle(rule, () => now);
    for (let i = 0; i < 5; i += 1) throttle.failed('k');
    now += 24 * 3600_000 + 1;
    throttle.failed('k');
    expect(throttle.waitFor('k')).toBeNull();
  });
});
