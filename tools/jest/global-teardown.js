// Drops this run's database (the Redis keys under the run's prefix are removed here too).
import pg from 'pg';
import Redis from 'ioredis';

export default async function globalTeardown() {
  const state = globalThis.__FCPLAT_TEST_DB__;
  if (state && process.env.KEEP_TEST_DATABASE !== '1') {
    const client = new pg.Client({ connectionString: state.adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${state.databaseName}" WITH (FORCE)`);
    await client.end();
  }
  const runId = process.env.TEST_RUN_ID;
  if (runId && process.env.TEST_REDIS_URL) {
    const redis = new Redis(process.env.TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `fcplat-test-${runId}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } catch {
      // Redis down at teardown: the run already failed on it; nothing else to clean.
    } finally {
      redis.disconnect();
    }
  }
}
