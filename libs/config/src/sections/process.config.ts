import { z } from 'zod';
import { boundedInt, parseSection, pick, type ConfigIssue, type Env } from '../env.js';

export interface ProcessConfig {
  /**
   * How long a SIGTERM's stop may take (the API answering its open requests, the worker finishing
   * its running jobs) before the process exits anyway, with code 1 and a log line saying what was
   * left. Below the orchestrator's own grace period (Kubernetes: 30 s), so that the process says
   * it before it is killed.
   */
  readonly stopTimeoutMs: number;
}

export const PROCESS_VARIABLES = ['STOP_TIMEOUT_SECONDS'] as const;

export function processSection(env: Env, issues: ConfigIssue[]): ProcessConfig | undefined {
  const schema = z.object({ STOP_TIMEOUT_SECONDS: boundedInt(1, 3600).default(25) }).transform((v) => ({ stopTimeoutMs: v.STOP_TIMEOUT_SECONDS * 1000 }));
  return parseSection(schema, pick(env, PROCESS_VARIABLES), issues);
}
