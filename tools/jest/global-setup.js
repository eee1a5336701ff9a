// Creates a PostgreSQL database and a Redis key prefix that belong to this test run only, so
// concurrent runs (two developers, CI) never see each other's data. Migrations are applied
// lazily by the first test that asks for a DataSource (see libs/testing).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `fcplat_test_${runId}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${redactUrl(adminUrl)} (set TEST_PG_ADMIN_URL to change it): ${error.message}`,
      { cause: error },
    );
  }
  await client.query(`CREATE DATABASE "${databaseName}"`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_NAME = databaseName;
  process.env.TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.TEST_RUN_ID = runId;
  globalThis.__FCPLAT_TEST_DB__ = { adminUrl, databaseName };
}

function redactUrl(value) {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}
