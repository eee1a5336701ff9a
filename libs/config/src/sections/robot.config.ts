import { z } from 'zod';
import { booleanFlag, boundedInt, parseSection, pick, type ConfigIssue, type Env } from '../env.js';

/** The qualification robot (docs/qualification-robot.md): where it runs, how much, how long its evidence lives. */
export interface RobotConfig {
  /** Whether this worker process runs robot jobs (a worker without Chromium sets it to false). */
  readonly enabled: boolean;
  /** Chromium processes of one worker's pool: robot runs at once per worker process. */
  readonly browsers: number;
  /** Chromium's executable (Debian's package by default). */
  readonly chromiumPath: string;
  /** How long run results and screenshots are kept (the last run of each tenant is always kept). */
  readonly evidenceRetentionDays: number;
  /** Interval between two automatic re-verifications of every tenant live in production; 0: never. */
  readonly scheduleHours: number;
  /** Login of the FranceConnect test identity the robot signs in with (non-production clients only). */
  readonly testIdentity: string;
}

export const ROBOT_VARIABLES = [
  'QUALIFICATION_ROBOT_ENABLED',
  'QUALIFICATION_ROBOT_BROWSERS',
  'QUALIFICATION_ROBOT_CHROMIUM_PATH',
  'QUALIFICATION_ROBOT_EVIDENCE_RETENTION_DAYS',
  'QUALIFICATION_ROBOT_SCHEDULE_HOURS',
  'QUALIFICATION_ROBOT_TEST_IDENTITY',
] as const;

export function robotSection(env: Env, issues: ConfigIssue[]): RobotConfig | undefined {
  const schema = z
    .object({
      QUALIFICATION_ROBOT_ENABLED: booleanFlag.default(true),
      QUALIFICATION_ROBOT_BROWSERS: boundedInt(1, 16).default(2),
      QUALIFICATION_ROBOT_CHROMIUM_PATH: z.string().regex(/^\/\S+$/, 'must be an absolute path').default('/usr/bin/chromium'),
      QUALIFICATION_ROBOT_EVIDENCE_RETENTION_DAYS: boundedInt(1, 3650).default(30),
      QUALIFICATION_ROBOT_SCHEDULE_HOURS: boundedInt(0, 24 * 31).default(24),
      QUALIFICATION_ROBOT_TEST_IDENTITY: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be a test identity login').default('test'),
    })
    .transform(
      (v): RobotConfig => ({
        enabled: v.QUALIFICATION_ROBOT_ENABLED,
        browsers: v.QUALIFICATION_ROBOT_BROWSERS,
        chromiumPath: v.QUALIFICATION_ROBOT_CHROMIUM_PATH,
        evidenceRetentionDays: v.QUALIFICATION_ROBOT_EVIDENCE_RETENTION_DAYS,
        scheduleHours: v.QUALIFICATION_ROBOT_SCHEDULE_HOURS,
        testIdentity: v.QUALIFICATION_ROBOT_TEST_IDENTITY,
      }),
    );
  return parseSection(schema, pick(env, ROBOT_VARIABLES), issues);
}
