import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: serialises migration runs of concurrent processes (tests, replicas). */
const MIGRATION_LOCK_KEY = 727_100_001;

export interface MigrationReport {
  readonly applied: readonly string[];
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so
 * two processes never migrate at once. Safe to call when nothing is pending. Needs two pool
 * connections (one holds the lock).
 */
export async function runMigrations(dataSource: DataSource): Promise<MigrationReport> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name) };
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}

/** Reverts the last applied migration (operators' escape hatch; every migration has a `down`). */
export async function revertLastMigration(dataSource: DataSource): Promise<void> {
  await dataSource.undoLastMigration({ transaction: 'each' });
}

/** Names of migrations not yet applied (the API refuses to start while any is pending). */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const executed = new Set<string>();
  const hasTable = await dataSource.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  if (hasTable[0]?.present) {
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM schema_migrations');
    for (const row of rows) executed.add(row.name);
  }
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !executed.has(name));
}
