import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@fcplat/db';
import { testDatabaseConfig } from './environment.js';

/**
 * An initialised DataSource on this run's database with every migration applied. Each call
 * returns a new DataSource: the caller destroys it in `afterAll`.
 */
export async function migratedTestDataSource(applicationName = 'fcplat-test'): Promise<DataSource> {
  const dataSource = createDataSource(testDatabaseConfig(), { applicationName });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

let scratchCounter = 0;

/**
 * Runs `fn` against a fresh, empty database of its own (for tests that must break or rebuild
 * the schema without disturbing the suites running in parallel), dropped afterwards.
 */
export async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  scratchCounter += 1;
  const main = new URL(testDatabaseConfig().url);
  const name = `${main.pathname.slice(1)}_s${process.pid}_${scratchCounter}`;
  const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(main);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export interface ScratchDatabase {
  readonly url: string;
  /** Migrated, initialised; destroyed by `drop`. */
  readonly dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A migrated database of the suite's own, for tests whose subject is platform-wide state (the
 * API Particulier dispatcher counts every in-flight call of the database, the rate-limit buckets
 * are shared by design): suites running in parallel must not see each other's calls.
 */
export async function scratchMigratedDatabase(applicationName = 'fcplat-test-scratch'): Promise<ScratchDatabase> {
  const pg = (await import('pg')).default;
  scratchCounter += 1;
  const main = new URL(testDatabaseConfig().url);
  const name = `${main.pathname.slice(1)}_m${process.pid}_${scratchCounter}`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(main);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(testDatabaseConfig({ url: url.toString() }), { applicationName });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      await dataSource.destroy().catch(() => undefined);
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
