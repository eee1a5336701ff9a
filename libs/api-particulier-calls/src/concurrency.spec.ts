import { concurrencyFor, LatencyConcurrency } from './concurrency.js';

const bounds = { floor: 16, max: 128 };

describe('concurrency that follows latency', () => {
  it('is the allowed rate × the duration of a call, with headroom, within the bounds', () => {
    // 50/s against a 2 s upstream: 100 calls in flight, 125 with headroom.
    expect(concurrencyFor(50, 2_000, bounds)).toBe(125);
    // A fast upstream needs fewer than the floor: the floor.
    expect(concurrencyFor(50, 40, bounds)).toBe(16);
    // Never above the configured maximum.
    expect(concurrencyFor(50, 5_000, bounds)).toBe(128);
  });

  it('follows a slower upstream at once, a faster one gradually, and tells its listeners only of changes', () => {
    const concurrency = new LatencyConcurrency(bounds);
    const heard: number[] = [];
    concurrency.onChange((n) => heard.push(n));
    expect(concurrency.current).toBe(16);
    concurrency.observe(50, 50);
    expect(heard).toEqual([]);
    for (let i = 0; i < 4; i += 1) concurrency.observe(2_000, 50);
    expect(concurrency.current).toBeGreaterThan(100);
    const slow = concurrency.current;
    concurrency.observe(50, 50);
    // One fast answer lowers it, not back to the floor.
    expect(concurrency.current).toBeLessThan(slow);
    expect(concurrency.current).toBeGreaterThan(16);
    for (let i = 0; i < 40; i += 1) concurrency.observe(50, 50);
    expect(concurrency.current).toBe(16);
    expect(heard.at(-1)).toBe(16);
    // Each value heard differs from the one before.
    expect(heard.filter((n, i) => i > 0 && n === heard[i - 1])).toEqual([]);
  });

  it('rises on the age of the calls still out, at once before any answer, then smoothed, and never lowers on it', () => {
    const concurrency = new LatencyConcurrency(bounds);
    concurrency.atLeast(400, 50); // 50/s × 0.4 s × 1.25 = 25
    expect(concurrency.current).toBe(25);
    concurrency.atLeast(200, 50); // younger calls say nothing new
    expect(concurrency.current).toBe(25);
    concurrency.atLeast(1_200, 50); // halfway from 0.4 s to 1.2 s: 0.8 s
    expect(concurrency.current).toBe(50);
    concurrency.observe(2_000, 50); // halfway to 2 s: 1.4 s
    expect(concurrency.current).toBe(88);
    concurrency.atLeast(100, 50);
    expect(concurrency.current).toBe(88);
  });

  it('refuses bounds that cannot hold', () => {
    expect(() => new LatencyConcurrency({ floor: 0, max: 4 })).toThrow();
    expect(() => new LatencyConcurrency({ floor: 8, max: 4 })).toThrow();
  });
});
