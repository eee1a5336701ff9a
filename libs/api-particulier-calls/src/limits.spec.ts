import { intervalOf } from './limiter.js';
import { bucketToPause, platformSpec, tokenBucket, tokenSpec, PLATFORM_BUCKET } from './limits.js';

const settings = { ipLimitPerMinute: 1000, tokenLimitPerSecond: 20 };

describe('rate-limit buckets', () => {
  it('space calls so that no fixed window of the upstream ever sees more than its limit', () => {
    const platform = platformSpec(settings);
    // limit - burst calls spaced evenly, plus the burst: exactly the limit per window.
    expect(60_000 / intervalOf(platform) + platform.burst).toBeCloseTo(1000, 6);
    const token = tokenSpec(settings, 't', 'sandbox');
    expect(1000 / intervalOf(token) + token.burst).toBeCloseTo(20, 6);
  });

  it('pause only the token on a per-token 429, and the whole platform on any other 429', () => {
    const perToken = { limit: 20, remaining: 0, resetAt: Date.now() + 1000 };
    const perIp = { limit: 1000, remaining: 0, resetAt: Date.now() + 30_000 };
    expect(bucketToPause(perToken, settings, 't1', 'sandbox', 'pivot_identity')).toBe(tokenBucket('t1', 'sandbox'));
    expect(bucketToPause(perIp, settings, 't1', 'sandbox', 'pivot_identity')).toBe(PLATFORM_BUCKET);
    expect(bucketToPause(null, settings, 't1', 'sandbox', 'pivot_identity')).toBe(PLATFORM_BUCKET);
    // A FranceConnect call is not made with the tenant's token: nothing of the tenant to pause.
    expect(bucketToPause(perToken, settings, 't1', 'sandbox', 'france_connect')).toBe(PLATFORM_BUCKET);
  });
});
