import { z } from 'zod';
import { ConfigError, parseSection, pick, type ConfigIssue, type Env } from './env.js';
import { databaseSection, type DatabaseConfig } from './sections/database.config.js';
import { httpSection, type HttpConfig } from './sections/http.config.js';
import { logSection, type LogConfig } from './sections/log.config.js';
import { queueSection, type QueueConfig } from './sections/queue.config.js';
import { featuresSection, type FeaturesConfig } from './sections/features.config.js';
import { integrationsSection, type IntegrationsConfig } from './sections/integrations.config.js';
import { mailSection, type MailConfig } from './sections/mail.config.js';
import { apiParticulierSection, type ApiParticulierConfig } from './sections/api-particulier.config.js';
import { secretsSection, type SecretsConfig } from './sections/secrets.config.js';
import { robotSection, type RobotConfig } from './sections/robot.config.js';
import { processSection, type ProcessConfig } from './sections/process.config.js';

export const NODE_ENVS = ['production', 'development', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export interface PlatformConfig {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  readonly queue: QueueConfig;
  readonly log: LogConfig;
  readonly secrets: SecretsConfig;
  readonly mail: MailConfig;
  readonly features: FeaturesConfig;
  readonly integrations: IntegrationsConfig;
  readonly apiParticulier: ApiParticulierConfig;
  readonly robot: RobotConfig;
  readonly process: ProcessConfig;
}

/**
 * Reads and validates the whole configuration. Every problem is collected (not just the first),
 * each naming its variable; a value is never echoed back since it may be a secret.
 * The result is deeply frozen: configuration does not change after boot.
 */
export function loadConfig(env: Env = process.env): PlatformConfig {
  const issues: ConfigIssue[] = [];
  const runtime = parseSection(
    z.object({ NODE_ENV: z.enum(NODE_ENVS, { message: `must be one of ${NODE_ENVS.join(', ')}` }).default('development') }),
    pick(env, ['NODE_ENV']),
    issues,
  );
  const nodeEnv = runtime?.NODE_ENV ?? 'production';
  const isProduction = nodeEnv === 'production';
  const http = httpSection(env, isProduction, issues);
  const database = databaseSection(env, issues);
  const queue = queueSection(env, isProduction, issues);
  const log = logSection(env, issues);
  const secrets = secretsSection(env, issues);
  const mail = mailSection(env, isProduction, issues);
  const features = featuresSection(env, issues);
  const integrations = integrationsSection(env, issues, { isProduction, allowCustomEndpoints: features?.allowCustomEndpoints });
  const apiParticulier = apiParticulierSection(env, issues, { isProduction, allowCustomEndpoints: features?.allowCustomEndpoints });
  const robot = robotSection(env, issues);
  const processes = processSection(env, issues);
  if (issues.length > 0 || !http || !database || !queue || !log || !secrets || !mail || !features || !integrations || !apiParticulier || !robot || !processes) throw new ConfigError(issues);
  return deepFreeze({ nodeEnv, isProduction, http, database, queue, log, secrets, mail, features, integrations, apiParticulier, robot, process: processes });
}

/**
 * For process entry points: loads the configuration or prints what is wrong and exits with
 * status 78 (EX_CONFIG), before anything else starts.
 */
export function loadConfigOrExit(processName: string, env: Env = process.env): PlatformConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', process: processName, msg: error.message, issues: error.issues })}\n`,
      );
      process.stderr.write(`${processName}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
