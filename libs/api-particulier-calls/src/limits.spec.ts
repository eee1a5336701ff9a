import { departureCap, departureWindowMs, intervalOf, marginOf } from './limiter.js';
import { bucketToPause, learnableIpLimit, learntPlatformSpec, platformSpec, tokenBucket, tokenSpec, PLATFORM_BUCKET } from './limits.js';

const settings = { ipLimitPerMinute: 1000, tokenLimitPerSecond: 20 };

describe('rate-limit buckets', () => {
  it('space calls so that no fixed window of the upstream ever sees more than its limit', () => {
    const platform = platformSpec(settings);
    // limit - burst calls spaced evenly, plus the burst: exactly the limit per window.
    expect(60_000 / intervalOf(platform) + platform.burst).toBeCloseTo(1000, 6);
    const token = tokenSpec(settings, 'jeton');
    expect(1000 / intervalOf(token) + token.burst).toBeCloseTo(20, 6);
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

  it('keeps a margin: limit − 5 % (at least 1) per window of the upstream + 5 %', () => {
    expect([marginOf(1), marginOf(2), marginOf(20), marginOf(1000)]).toEqual([0, 1, 1, 50]);
    expect(departureCap(tokenSpec(settings, 'jeton'))).toBe(19);
    expect(departureCap(platformSpec(settings))).toBe(950);
    expect(departureWindowMs(tokenSpec(settings, 'jeton'))).toBe(1050);
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
