/**
 * Container healthcheck of the worker: exits 0 when a worker of this host (container) completed
 * a heartbeat within three heartbeat intervals, 1 otherwise. Reads the same configuration.
 */
import { hostname } from 'node:os';
import { loadConfigOrExit } from '@fcplat/config';
import { createDataSource } from '@fcplat/db';

const config = loadConfigOrExit('fcplat-worker-healthcheck');
const dataSource = createDataSource({ ...config.database, poolMax: 1 }, { applicationName: 'fcplat-worker-healthcheck' });

try {
  await dataSource.initialize();
  const rows: { age: number }[] = await dataSource.query(
    `SELECT extract(epoch FROM now() - max(finished_at))::int AS age FROM job_outcome
      WHERE job_name = 'system.heartbeat' AND status = 'completed' AND worker_id LIKE $1`,
    [`worker:${hostname()}:%`],
  );
  const age = rows[0]?.age;
  const healthy = typeof age === 'number' && age <= config.queue.heartbeatIntervalSeconds * 3;
  process.stdout.write(healthy ? `healthy: last heartbeat ${age} s ago\n` : `unhealthy: no recent heartbeat (${age ?? 'never'})\n`);
  process.exitCode = healthy ? 0 : 1;
} catch (error) {
  process.stdout.write(`unhealthy: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await dataSource.destroy().catch(() => undefined);
}
