/**
 * The buckets a call draws from (SR-34): the platform-wide one matching API Particulier's per-IP
 * ceiling (every tenant shares the platform's egress IP), and the tenant's token.
 */
import type { RateLimitInfo } from '@fcplat/api-particulier';
import type { BucketSpec } from './limiter.js';

export interface LimitSettings {
  readonly ipLimitPerMinute: number;
  readonly tokenLimitPerSecond: number;
}

export const PLATFORM_BUCKET = 'apip:ip';
export const tokenBucket = (tenantId: string, environment: string): string => `apip:token:${tenantId}:${environment}`;

export function platformSpec(settings: LimitSettings): BucketSpec {
  return { key: PLATFORM_BUCKET, limit: settings.ipLimitPerMinute, windowMs: 60_000, burst: Math.min(5, Math.max(1, Math.floor(settings.ipLimitPerMinute / 100))) };
}

export function tokenSpec(settings: LimitSettings, tenantId: string, environment: string): BucketSpec {
  return { key: tokenBucket(tenantId, environment), limit: settings.tokenLimitPerSecond, windowMs: 1_000, burst: Math.min(2, Math.max(1, settings.tokenLimitPerSecond - 1)) };
}

/**
 * Which bucket a 429 must pause ("only what it must", SR-33). API Particulier does not say which
 * limit refused the call; its `RateLimit-Limit` tells the size of that limit. A 429 whose limit is
 * the per-token one pauses that token only; any other 429 — the per-IP ceiling, or no readable
 * header — pauses the whole platform, because calling on through a per-IP 429 gets the platform's
 * IP banned for 12 hours, for every tenant.
 */
export function bucketToPause(rateLimit: RateLimitInfo | null, settings: LimitSettings, tenantId: string, environment: string, modality: string): string {
  if (rateLimit && rateLimit.limit === settings.tokenLimitPerSecond && modality !== 'france_connect') return tokenBucket(tenantId, environment);
  return PLATFORM_BUCKET;
}
