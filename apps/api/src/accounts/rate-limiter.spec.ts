import { AttemptLimiter } from './rate-limiter.js';

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
