/**
 * `npm run db:migrate` — applies pending migrations (`-- --revert` reverts the last one).
 * Reads only the database section of the configuration, so a one-shot migration container
 * needs nothing but DATABASE_URL (and DATABASE_SSL if any).
 */
import { ConfigError, databaseSection, describeDatabaseUrl, type ConfigIssue } from '@fcplat/config';
import { createDataSource } from '../data-source.js';
import { revertLastMigration, runMigrations } from '../migrate.js';

async function main(): Promise<void> {
  const issues: ConfigIssue[] = [];
  const database = databaseSection(process.env, issues);
  if (!database) throw new ConfigError(issues);
  const dataSource = createDataSource(database, { applicationName: 'fcplat-migrate' });
  await dataSource.initialize();
  try {
    if (process.argv.includes('--revert')) {
      await revertLastMigration(dataSource);
      process.stdout.write(`Reverted the last migration on ${describeDatabaseUrl(database.url)}\n`);
    } else {
      const report = await runMigrations(dataSource);
      process.stdout.write(
        report.applied.length === 0
          ? `Database ${describeDatabaseUrl(database.url)} is up to date\n`
          : `Applied on ${describeDatabaseUrl(database.url)}: ${report.applied.join(', ')}\n`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
