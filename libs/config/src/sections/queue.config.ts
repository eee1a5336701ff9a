import { z } from 'zod';
import { boundedInt, parseSection, pick, url, type ConfigIssue, type Env } from '../env.js';

export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendKind = (typeof QUEUE_BACKENDS)[number];

export type QueueConfig =
  | {
      readonly backend: 'redis';
      /** redis:// or rediss:// URL. May contain a password: never log it. */
      readonly redisUrl: string;
      readonly prefix: string;
      readonly heartbeatIntervalSeconds: number;
    }
  | {
      /** BullMQ's PostgreSQL backend, on the platform's own database (embedded mode). */
      readonly backend: 'postgres';
      readonly prefix: string;
      readonly heartbeatIntervalSeconds: number;
    };

export const QUEUE_VARIABLES = ['QUEUE_BACKEND', 'REDIS_URL', 'QUEUE_PREFIX', 'HEARTBEAT_INTERVAL_SECONDS'] as const;

export function queueSection(env: Env, isProduction: boolean, issues: ConfigIssue[]): QueueConfig | undefined {
  const schema = z
    .object({
      QUEUE_BACKEND: z.enum(QUEUE_BACKENDS, { message: `must be one of ${QUEUE_BACKENDS.join(', ')}` }).default('redis'),
      REDIS_URL: url(['redis:', 'rediss:']).optional(),
      QUEUE_PREFIX: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, 'must be 1-41 characters of a-z, 0-9, _ and -')
        .default('fcplat'),
      HEARTBEAT_INTERVAL_SECONDS: boundedInt(1, 3600).default(30),
    })
    .superRefine((v, ctx) => {
      if (v.QUEUE_BACKEND === 'redis' && v.REDIS_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required when QUEUE_BACKEND is redis' });
      }
      if (isProduction && v.QUEUE_BACKEND !== 'redis') {
        ctx.addIssue({
          code: 'custom',
          path: ['QUEUE_BACKEND'],
          message: 'must be redis in production (the PostgreSQL backend is for the embedded mode)',
        });
      }
    })
    .transform((v): QueueConfig =>
      v.QUEUE_BACKEND === 'redis'
        ? { backend: 'redis', redisUrl: v.REDIS_URL ?? '', prefix: v.QUEUE_PREFIX, heartbeatIntervalSeconds: v.HEARTBEAT_INTERVAL_SECONDS }
        : { backend: 'postgres', prefix: v.QUEUE_PREFIX, heartbeatIntervalSeconds: v.HEARTBEAT_INTERVAL_SECONDS },
    );
  return parseSection(schema, pick(env, QUEUE_VARIABLES), issues);
}
