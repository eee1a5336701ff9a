import { departureValidMs, departureWindowMs, intervalOf, windowMarginMs } from './limiter.js';
import { bucketToPause, learnableIpLimit, learntPlatformSpec, platformSpec, tokenBucket, tokenSpec, PLATFORM_BUCKET } from './limits.js';

const settings = { ipLimitPerMinute: 1000, tokenLimitPerSecond: 20 };

describe('rate-limit buckets', () => {
  it('pace reservations at the rate departures allow: the limit per window + margin', () => {
    const platform = platformSpec(settings);
    expect(departureWindowMs(platform) / intervalOf(platform)).toBeCloseTo(1000, 6);
    const token = tokenSpec(settings, 'jeton');
    expect(departureWindowMs(token) / intervalOf(token)).toBeCloseTo(20, 6);
  });

  it('pause only the token on a per-token 429, and the whole platform on any other 429', () => {
    const perToken = { limit: 20, remaining: 0, resetAt: Date.now() + 1000 };
    const perIp = { limit: 1000, remaining: 0, resetAt: Date.now() + 30_000 };
    expect(bucketToPause(perToken, settings, 'jeton-1', 'pivot_identity')).toBe(tokenBucket('jeton-1'));
    expect(bucketToPause(perIp, settings, 'jeton-1', 'pivot_identity')).toBe(PLATFORM_BUCKET);
    expect(bucketToPause(null, settings, 'jeton-1', 'pivot_identity')).toBe(PLATFORM_BUCKET);
    // A FranceConnect call is not made with the tenant's token: nothing of the tenant to pause.
    expect(bucketToPause(perToken, settings, null, 'france_connect')).toBe(PLATFORM_BUCKET);
  });

  it('name a token’s bucket after the token (a hash of it), whoever uses it, never after a tenant', () => {
    expect(tokenBucket('eyJ.jeton-partage.sig')).toBe(tokenBucket('eyJ.jeton-partage.sig'));
    expect(tokenBucket('eyJ.jeton-partage.sig')).not.toBe(tokenBucket('eyJ.autre-jeton.sig'));
    expect(tokenBucket('eyJ.jeton-partage.sig')).toMatch(/^apip:token:[0-9a-f]{32}$/);
    expect(tokenBucket('eyJ.jeton-partage.sig')).not.toContain('jeton');
  });

  it('keeps a margin on time, not on calls: the whole limit per window + 3 % (at least 20 ms, at most 1 s)', () => {
    expect([windowMarginMs(100), windowMarginMs(1_000), windowMarginMs(10_000), windowMarginMs(60_000)]).toEqual([20, 30, 300, 1_000]);
    expect(departureWindowMs(tokenSpec(settings, 'jeton'))).toBe(1_030);
    expect(departureWindowMs(platformSpec(settings))).toBe(61_000);
    // At most 0.97 of what the upstream allows, by construction.
    expect(20 / (departureWindowMs(tokenSpec(settings, 'jeton')) / 1000) / 20).toBeGreaterThan(0.97);
    // A departure is good for half the smallest margin of its buckets.
    expect(departureValidMs([platformSpec(settings), tokenSpec(settings, 'jeton')])).toBe(15);
  });

  it('learns the per-IP ceiling downwards only, never from the per-token limit', () => {
    const answer = (limit: number) => ({ limit, remaining: 3, resetAt: Date.now() + 30_000 });
    expect(learnableIpLimit(answer(60), settings)).toBe(60);
    expect(learnableIpLimit(answer(5000), settings)).toBe(1000);
    expect(learnableIpLimit(answer(20), settings)).toBeNull();
    expect(learnableIpLimit(null, settings)).toBeNull();
    const learnt = learntPlatformSpec(settings, 60);
    expect({ limit: learnt.limit, ceiling: learnt.ceiling, key: learnt.key }).toEqual({ limit: 60, ceiling: 1000, key: PLATFORM_BUCKET });
  });
});
