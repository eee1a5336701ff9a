import { z } from 'zod';
import { parseSection, pick, type ConfigIssue, type Env } from '../env.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogConfig {
  readonly level: LogLevel;
}

export const LOG_VARIABLES = ['LOG_LEVEL'] as const;

export function logSection(env: Env, issues: ConfigIssue[]): LogConfig | undefined {
  const schema = z
    .object({ LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info') })
    .transform((v) => ({ level: v.LOG_LEVEL }));
  return parseSection(schema, pick(env, LOG_VARIABLES), issues);
}
