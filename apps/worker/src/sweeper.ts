import type { DataSource } from 'typeorm';

/** How often each worker deletes expired citizen sessions. */
export const SESSION_SWEEP_MS = 60_000;
/** Rows deleted per statement (a backlog goes in several sweeps, never one long lock). */
const SWEEP_BATCH = 5_000;

/**
 * Deletes expired citizen sessions (idle or absolute deadline passed), at most `batch` rows: the
 * portal never reads them (its lookup checks both deadlines), so this is housekeeping, taken off the
 * login path. Several workers may sweep at once: a row is deleted once.
 */
export async function sweepExpiredCitizenSessions(dataSource: DataSource, batch = SWEEP_BATCH): Promise<number> {
  const rows = (await dataSource.query(
    `WITH doomed AS (
       SELECT id FROM citizen_session WHERE absolute_expires_at <= now() OR idle_expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
     , deleted AS (DELETE FROM citizen_session WHERE id IN (SELECT id FROM doomed) RETURNING 1)
     SELECT count(*)::int AS count FROM deleted`,
    [batch],
  )) as Array<{ count: number }>;
  return rows[0]?.count ?? 0;
}

/** Sweeps now and then every `intervalMs`; returns a function that stops it (and waits for a sweep in progress). */
export function startSessionSweeper(dataSource: DataSource, intervalMs: number, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = (): void => {
    running = sweepExpiredCitizenSessions(dataSource).catch(onError);
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  sweep();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
