import { z } from 'zod';
import { boundedInt, parseSection, pick, url, type ConfigIssue, type Env } from '../env.js';

/** How the platform calls API Particulier (docs/domain.md §2.6, SR-33, SR-34, SR-36). */
export interface ApiParticulierConfig {
  /** Upstream ceiling per source IP, shared by every tenant of the platform (1000/min). */
  readonly ipLimitPerMinute: number;
  /** Upstream ceiling per token (20/s). */
  readonly tokenLimitPerSecond: number;
  /** Client timeout of one call (API Particulier advises 5 s). */
  readonly timeoutMs: number;
  /** Attempts per call for retryable errors (429 waits are not attempts). */
  readonly maxAttempts: number;
  /** First retry delay; doubles each attempt, with jitter. */
  readonly retryBaseDelayMs: number;
  /** How long a citizen's page waits for its data before saying it is late. */
  readonly citizenDeadlineMs: number;
  /** Calls handled at once by one worker process when the upstream answers fast (the floor). */
  readonly workerConcurrency: number;
  /** The most calls one worker handles at once when its concurrency follows a slow upstream's latency. */
  readonly workerMaxConcurrency: number;
  /** How long the call log keeps a call (who, when, which API, outcome). */
  readonly logRetentionDays: number;
  /** How long the useful part of an answer (encrypted) stays available, e.g. for batch downloads. */
  readonly resultRetentionDays: number;
  /** Base URL of the platform's API Particulier stand-in (`npm start` sets it). */
  readonly sandboxUrl: string | null;
}

export const API_PARTICULIER_VARIABLES = [
  'API_PARTICULIER_IP_LIMIT_PER_MINUTE',
  'API_PARTICULIER_TOKEN_LIMIT_PER_SECOND',
  'API_PARTICULIER_TIMEOUT_MS',
  'API_PARTICULIER_MAX_ATTEMPTS',
  'API_PARTICULIER_RETRY_BASE_DELAY_MS',
  'API_PARTICULIER_CITIZEN_DEADLINE_MS',
  'API_PARTICULIER_WORKER_CONCURRENCY',
  'API_PARTICULIER_WORKER_MAX_CONCURRENCY',
  'API_PARTICULIER_LOG_RETENTION_DAYS',
  'API_PARTICULIER_RESULT_RETENTION_DAYS',
  'SANDBOX_API_PARTICULIER_URL',
] as const;

export function apiParticulierSection(env: Env, issues: ConfigIssue[], context: { isProduction: boolean; allowCustomEndpoints: boolean | undefined }): ApiParticulierConfig | undefined {
  const schema = z
    .object({
      API_PARTICULIER_IP_LIMIT_PER_MINUTE: boundedInt(1, 100_000).default(1000),
      API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: boundedInt(1, 1000).default(20),
      API_PARTICULIER_TIMEOUT_MS: boundedInt(500, 60_000).default(5000),
      API_PARTICULIER_MAX_ATTEMPTS: boundedInt(1, 20).default(5),
      API_PARTICULIER_RETRY_BASE_DELAY_MS: boundedInt(100, 600_000).default(2000),
      API_PARTICULIER_CITIZEN_DEADLINE_MS: boundedInt(1000, 60_000).default(10_000),
      API_PARTICULIER_WORKER_CONCURRENCY: boundedInt(1, 200).default(16),
      API_PARTICULIER_WORKER_MAX_CONCURRENCY: boundedInt(1, 1000).default(128),
      API_PARTICULIER_LOG_RETENTION_DAYS: boundedInt(1, 3650).default(365),
      API_PARTICULIER_RESULT_RETENTION_DAYS: boundedInt(1, 365).default(30),
      SANDBOX_API_PARTICULIER_URL: url(['https:', 'http:']).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.API_PARTICULIER_WORKER_MAX_CONCURRENCY < v.API_PARTICULIER_WORKER_CONCURRENCY) {
        ctx.addIssue({ code: 'custom', path: ['API_PARTICULIER_WORKER_MAX_CONCURRENCY'], message: 'cannot be lower than API_PARTICULIER_WORKER_CONCURRENCY' });
      }
      if (v.API_PARTICULIER_RESULT_RETENTION_DAYS > v.API_PARTICULIER_LOG_RETENTION_DAYS) {
        ctx.addIssue({ code: 'custom', path: ['API_PARTICULIER_RESULT_RETENTION_DAYS'], message: 'cannot exceed API_PARTICULIER_LOG_RETENTION_DAYS' });
      }
    })
    .transform(
      (v): ApiParticulierConfig => ({
        ipLimitPerMinute: v.API_PARTICULIER_IP_LIMIT_PER_MINUTE,
        tokenLimitPerSecond: v.API_PARTICULIER_TOKEN_LIMIT_PER_SECOND,
        timeoutMs: v.API_PARTICULIER_TIMEOUT_MS,
        maxAttempts: v.API_PARTICULIER_MAX_ATTEMPTS,
        retryBaseDelayMs: v.API_PARTICULIER_RETRY_BASE_DELAY_MS,
        citizenDeadlineMs: v.API_PARTICULIER_CITIZEN_DEADLINE_MS,
        workerConcurrency: v.API_PARTICULIER_WORKER_CONCURRENCY,
        workerMaxConcurrency: v.API_PARTICULIER_WORKER_MAX_CONCURRENCY,
        logRetentionDays: v.API_PARTICULIER_LOG_RETENTION_DAYS,
        resultRetentionDays: v.API_PARTICULIER_RESULT_RETENTION_DAYS,
        sandboxUrl: v.SANDBOX_API_PARTICULIER_URL?.replace(/\/+$/, '') ?? null,
      }),
    );
  const section = parseSection(schema, pick(env, API_PARTICULIER_VARIABLES), issues);
  if (section?.sandboxUrl && context.isProduction && context.allowCustomEndpoints === false) {
    issues.push({ variable: 'SANDBOX_API_PARTICULIER_URL', message: 'is a test facility: refused in production unless ALLOW_CUSTOM_ENDPOINTS=true' });
    return undefined;
  }
  return section;
}
