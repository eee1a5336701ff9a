import { RateLimiter, rateLimitHeaders } from './rate-limits.js';

const MINUTE = Date.UTC(2030, 0, 1, 12, 0, 0);

describe('API Particulier rate limits', () => {
  it('counts per IP in minute windows aligned on the minute', () => {
    const limiter = new RateLimiter({ perTokenPerSecond: 100, perIpPerMinute: 3 });
    const at = MINUTE + 10_250;
    expect(limiter.check('a', null, at)).toEqual({ allowed: true, ip: { limit: 3, remaining: 2, reset: MINUTE / 1000 + 60 } });
    limiter.check('a', null, at);
    expect(limiter.check('a', null, at)).toMatchObject({ allowed: true, ip: { remaining: 0 } });
    expect(limiter.check('a', null, at)).toEqual({ allowed: false, refusedBy: 'ip', window: { limit: 3, remaining: 0, reset: MINUTE / 1000 + 60 }, retryAfterSeconds: 50 });
    expect(limiter.check('b', null, at)).toMatchObject({ allowed: true });
    expect(limiter.check('a', null, MINUTE + 59_999)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.check('a', null, MINUTE + 60_000)).toEqual({ allowed: true, ip: { limit: 3, remaining: 2, reset: MINUTE / 1000 + 120 } });
  });

  it('counts per token in second windows, and a refused request counts in neither limit', () => {
    const limiter = new RateLimiter({ perTokenPerSecond: 2, perIpPerMinute: 10 });
    const at = MINUTE + 5_700;
    limiter.check('ip', 't1', at);
    limiter.check('ip', 't1', at);
    expect(limiter.check('ip', 't1', at)).toEqual({ allowed: false, refusedBy: 'token', window: { limit: 2, remaining: 0, reset: MINUTE / 1000 + 6 }, retryAfterSeconds: 1 });
    expect(limiter.check('ip', 't1', at)).toMatchObject({ allowed: false, refusedBy: 'token' });
    // Two accepted so far: the next one (another token) leaves 7.
    expect(limiter.check('ip', 't2', at)).toMatchObject({ allowed: true, ip: { remaining: 7 } });
    expect(limiter.check('ip', 't1', MINUTE + 6_000)).toMatchObject({ allowed: true, ip: { remaining: 6 } });
  });

  it('takes new limits with fresh windows, and refuses nonsense', () => {
    const limiter = new RateLimiter({ perTokenPerSecond: 1, perIpPerMinute: 1 });
    limiter.check('ip', null, MINUTE);
    expect(limiter.check('ip', null, MINUTE)).toMatchObject({ allowed: false });
    limiter.set({ perTokenPerSecond: 1, perIpPerMinute: 1 });
    expect(limiter.check('ip', null, MINUTE)).toMatchObject({ allowed: true });
    expect(() => limiter.set({ perTokenPerSecond: 0, perIpPerMinute: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ perTokenPerSecond: 1.5, perIpPerMinute: 1 })).toThrow(/perTokenPerSecond/);
    expect(rateLimitHeaders({ limit: 1000, remaining: 12, reset: 1_900_000_000 })).toEqual({ 'RateLimit-Limit': '1000', 'RateLimit-Remaining': '12', 'RateLimit-Reset': '1900000000' });
  });
});
