/**
 * The buckets a call draws from (SR-34): the platform-wide one matching API Particulier's per-IP
 * ceiling (every tenant shares the platform's egress IP), and the token's own. API Particulier
 * counts per token, not per tenant: tenants that share one token (an editor-wide token is common)
 * share its bucket, so together they stay within its limit. The bucket is named after a hash of
 * the token, never the token.
 */
import { createHash } from 'node:crypto';
import type { RateLimitInfo } from '@fcplat/api-particulier';
import type { BucketSpec } from './limiter.js';

export interface LimitSettings {
  readonly ipLimitPerMinute: number;
  readonly tokenLimitPerSecond: number;
}

export const PLATFORM_BUCKET = 'apip:ip';
/** The row whose `learnt_*` columns hold the per-IP ceiling learnt from API Particulier's answers: the platform bucket's own. */
export const LEARNT_CEILING_KEY = PLATFORM_BUCKET;
/** The bucket of a token: `apip:token:` and 32 hex characters of its SHA-256 (the same token, the same bucket, whoever uses it). */
export const tokenBucket = (token: string): string => `apip:token:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;

export function platformSpec(settings: LimitSettings): BucketSpec {
  return { key: PLATFORM_BUCKET, limit: settings.ipLimitPerMinute, windowMs: 60_000, burst: Math.min(5, Math.max(1, Math.floor(settings.ipLimitPerMinute / 100))) };
}

/** The platform bucket at a learnt ceiling (≤ the configured one, which still sizes its departure log). */
export function learntPlatformSpec(settings: LimitSettings, learnt: number): BucketSpec {
  return { ...platformSpec({ ...settings, ipLimitPerMinute: Math.min(learnt, settings.ipLimitPerMinute) }), ceiling: settings.ipLimitPerMinute };
}

export function tokenSpec(settings: LimitSettings, token: string): BucketSpec {
  return { key: tokenBucket(token), limit: settings.tokenLimitPerSecond, windowMs: 1_000, burst: Math.min(2, Math.max(1, settings.tokenLimitPerSecond - 1)) };
}

/**
 * Which bucket a 429 must pause ("only what it must", SR-33). API Particulier does not say which
 * limit refused the call; its `RateLimit-Limit` tells the size of that limit. A 429 whose limit is
 * the per-token one pauses that token only; any other 429 — the per-IP ceiling, or no readable
 * header — pauses the whole platform, because calling on through a per-IP 429 gets the platform's
 * IP banned for 12 hours, for every tenant.
 */
export function bucketToPause(rateLimit: RateLimitInfo | null, settings: LimitSettings, token: string | null, modality: string): string {
  if (rateLimit && token && rateLimit.limit === settings.tokenLimitPerSecond && modality !== 'france_connect') return tokenBucket(token);
  return PLATFORM_BUCKET;
}

/**
 * The per-IP ceiling an answer teaches, or null: its `RateLimit-Limit` when it is not the per-token
 * limit (API Particulier puts its per-IP window on every answer, and the refusing window on a 429),
 * capped by the configured ceiling — the platform learns downwards, never above its setting.
 */
export function learnableIpLimit(rateLimit: RateLimitInfo | null, settings: LimitSettings): number | null {
  if (!rateLimit || rateLimit.limit < 1 || rateLimit.limit === settings.tokenLimitPerSecond) return null;
  return Math.min(settings.ipLimitPerMinute, rateLimit.limit);
}
