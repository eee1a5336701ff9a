import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import type { DatabaseConfig } from '@fcplat/config';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DataSourceOptions {
  /** Shown in `pg_stat_activity` (`fcplat-api`, `fcplat-worker`, ...). */
  readonly applicationName: string;
}

/**
 * The one DataSource definition shared by the API, the worker and the migration command.
 * `synchronize` is off for good: the schema changes only through reviewed migrations.
 */
export function createDataSource(config: DatabaseConfig, options: DataSourceOptions): DataSource {
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

function sslOptions(config: DatabaseConfig): PostgresDataSourceOptions['ssl'] {
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
