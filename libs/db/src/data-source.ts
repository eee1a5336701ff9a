import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import type { DatabaseConfig } from '@fcplat/config';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

/** What the pool needs of the database configuration. */
export type PoolSettings = Pick<DatabaseConfig, 'url' | 'poolMax' | 'ssl' | 'statementTimeoutMs'>;

export interface DataSourceOptions {
  /** Shown in `pg_stat_activity` (`fcplat-api`, `fcplat-worker`, ...). */
  readonly applicationName: string;
}

/**
 * The one DataSource definition shared by the API, the worker and the migration command.
 * `synchronize` is off for good: the schema changes only through reviewed migrations.
 */
export function createDataSource(config: PoolSettings, options: DataSourceOptions): DataSource {
  const postgres: PostgresDataSourceOptions = {
    type: 'postgres',
    url: config.url,
    applicationName: options.applicationName,
    ssl: sslOptions(config),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: config.poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: config.statementTimeoutMs,
    },
  };
  return new DataSource(postgres);
}

function sslOptions(config: Pick<DatabaseConfig, 'ssl'>): PostgresDataSourceOptions['ssl'] {
  switch (config.ssl) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted, like libpq's sslmode=require: the certificate chain is not checked.
      return { rejectUnauthorized: false, minVersion: 'TLSv1.2' };
    case 'verify-full':
      return { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  }
}

/**
 * A connection of its own outside the pool, with the pool's TLS settings: for `LISTEN`, which
 * holds its connection for as long as it listens.
 */
export async function createListenConnection(config: Pick<DatabaseConfig, 'url' | 'ssl'>, options: DataSourceOptions): Promise<import('pg').Client> {
  const pg = (await import('pg')).default;
  return new pg.Client({ connectionString: config.url, ssl: sslOptions(config) as import('pg').ClientConfig['ssl'], application_name: options.applicationName, connectionTimeoutMillis: 5_000 });
}
