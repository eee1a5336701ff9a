import { z } from 'zod';
import { booleanFlag, boundedInt, parseSection, pick, url, type ConfigIssue, type Env } from '../env.js';

export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type DatabaseSslMode = (typeof DATABASE_SSL_MODES)[number];

export interface DatabaseConfig {
  /** postgres:// URL. Contains credentials: never log it (use {@link describeDatabaseUrl}). */
  readonly url: string;
  readonly poolMax: number;
  readonly ssl: DatabaseSslMode;
  readonly statementTimeoutMs: number;
  /**
   * Whether the API listens to PostgreSQL's change notifications to keep its per-process caches
   * true (`LISTEN fcplat_changes`). Off: the caches are bypassed and every lookup reads the
   * database — for a database that cannot deliver notifications to one connection, such as the
   * embedded PGlite of `npm start`, whose single session all connections share.
   */
  readonly changeNotifications: boolean;
  /**
   * Whether the hot paths' statements run as named prepared statements (`preparedStatements` of
   * @fcplat/db). Off for a database whose connections share one session (the embedded PGlite).
   */
  readonly preparedStatements: boolean;
}

export const DATABASE_VARIABLES = ['DATABASE_URL', 'DATABASE_POOL_MAX', 'DATABASE_SSL', 'DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_CHANGE_NOTIFICATIONS', 'DATABASE_PREPARED_STATEMENTS'] as const;

export function databaseSection(env: Env, issues: ConfigIssue[]): DatabaseConfig | undefined {
  const schema = z
    .object({
      DATABASE_URL: url(['postgres:', 'postgresql:']),
      DATABASE_POOL_MAX: boundedInt(1, 200).default(10),
      DATABASE_SSL: z.enum(DATABASE_SSL_MODES, { message: `must be one of ${DATABASE_SSL_MODES.join(', ')}` }).default('disable'),
      DATABASE_STATEMENT_TIMEOUT_MS: boundedInt(100, 600_000).default(15_000),
      DATABASE_CHANGE_NOTIFICATIONS: booleanFlag.default(true),
      DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
    })
    .transform((v) => ({
      url: v.DATABASE_URL,
      poolMax: v.DATABASE_POOL_MAX,
      ssl: v.DATABASE_SSL,
      statementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT_MS,
      changeNotifications: v.DATABASE_CHANGE_NOTIFICATIONS,
      preparedStatements: v.DATABASE_PREPARED_STATEMENTS,
    }));
  return parseSection(schema, pick(env, DATABASE_VARIABLES), issues);
}

/** `host:port/database` without user or password, for logs and health details. */
export function describeDatabaseUrl(value: string): string {
  try {
    const parsed = new URL(value);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
