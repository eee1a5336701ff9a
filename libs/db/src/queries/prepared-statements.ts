import { createHash } from 'node:crypto';
import pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { SqlRunner } from './sql-runner.js';

interface RawResult {
  command: string;
  rows: unknown[];
  rowCount: number | null;
}

/** What this module needs of node-postgres's pool (TypeORM's `driver.master`) and its clients. */
interface NamedQueryPool {
  connect(): Promise<{ query(config: { name: string; text: string; values?: unknown[] }): Promise<RawResult>; release(destroy?: Error | boolean): void }>;
}

const { DatabaseError } = pg;

/** Statement names already computed, by text (the texts are the code's constants: a few dozen). */
const NAMES = new Map<string, string>();
const MAX_NAMES = 1_000;

/**
 * The name of `sql` as a prepared statement: derived from its text, so one name always means one
 * text (node-postgres refuses a name reused for another text) and every connection of every
 * replica agrees.
 */
export function preparedStatementName(sql: string): string {
  let name = NAMES.get(sql);
  if (name === undefined) {
    name = `fcplat_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    if (NAMES.size < MAX_NAMES) NAMES.set(sql, name);
  }
  return name;
}

/**
 * Runs the hot paths' statements (a citizen's login, the session lookup of every portal request)
 * as NAMED prepared statements on the DataSource's pool: PostgreSQL parses and plans each text once
 * per connection instead of at every call, which halves its CPU for these short statements
 * (measured: 0.86 → 0.43 ms per state insert + consume, docs/benchmarks/franceconnect-logins.md),
 * and TypeORM's per-query machinery (query runner, logger, broadcaster) is skipped.
 *
 * For autocommit statements only (the pool picks any connection): a statement of a transaction
 * runs through that transaction's manager. The result has TypeORM's shape (`[rows, rowCount]` for
 * UPDATE and DELETE, the rows otherwise) and errors are TypeORM's `QueryFailedError`, so a caller
 * can switch between this and `DataSource.query` without a change. Only constant texts belong here:
 * each distinct text stays prepared on each connection until the connection closes. Their result
 * columns are named, never a table's `*`: a migration that adds a column while replicas run makes
 * PostgreSQL replan them, where a changed result type would make it refuse the statement.
 *
 * `enabled: false` (the embedded PGlite of `npm start`, one session shared by all connections,
 * where two connections preparing the same name would collide) returns the DataSource itself.
 */
export function preparedStatements(dataSource: DataSource, enabled: boolean): SqlRunner {
  if (!enabled) return dataSource;
  return {
    async query(sql: string, parameters: unknown[] = []): Promise<unknown> {
      const pool = (dataSource.driver as unknown as { master: NamedQueryPool }).master;
      const client = await pool.connect();
      let raw: RawResult;
      try {
        raw = await client.query({ name: preparedStatementName(sql), text: sql, values: parameters });
      } catch (error) {
        // An error the server answered (a constraint, a timeout) leaves the connection usable, as
        // TypeORM keeps it; any other (the connection broke) has it dropped from the pool.
        client.release(error instanceof DatabaseError ? undefined : (error as Error));
        throw new QueryFailedError(sql, parameters, error as Error);
      }
      client.release();
      return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
    },
  };
}
