import type { EntitySubscriberInterface, DataSource } from 'typeorm';
import { LogCapture, makeStaff, scratchMigratedDatabase, testPlatformConfig, type ScratchDatabase } from '@fcplat/testing';
import type { ApiApp } from '../src/app.js';
import { startApiProcess, type ApiProcess } from './api-harness.js';

/** A statement the API's data source sent, with its parameters (to EXPLAIN it as it ran). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A node of `EXPLAIN (FORMAT JSON)`. */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The plan's nodes of `statement` EXPLAINed (`analyze`: run too) by `runner`, a data source or a transaction's manager. */
export async function explain(runner: Pick<DataSource, 'query'>, statement: Statement, analyze = false): Promise<PlanNode[]> {
  const rows: { 'QUERY PLAN': [{ Plan: PlanNode }] }[] = await runner.query(`EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${statement.sql}`, [...statement.params]);
  return nodesOf((rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan);
}

/** The API of a statements suite, and what it sent to PostgreSQL (see {@link useRecordedApi}). */
export interface RecordedApi {
  /** The scratch database, seeded (for EXPLAIN and the tests' own reads). */
  readonly dataSource: DataSource;
  readonly api: ApiApp;
  /** A staff administrator's `Authorization` value. */
  readonly authorization: string;
  /** Runs `fn` and returns its result with the statements the API's data source sent meanwhile. */
  recording<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }>;
}

/**
 * The set-up of the suites that check what a request sends to PostgreSQL rather than how long it
 * takes: before all, a scratch database (migrated, named `applicationName`) seeded by `seed` then
 * VACUUM ANALYZEd, a staff administrator, and the API in process on it, whose statements a TypeORM
 * query subscriber records; after all, the API closed and the database dropped.
 */
export function useRecordedApi(applicationName: string, seed: (dataSource: DataSource) => Promise<void>, timeout: number): RecordedApi {
  let scratch: ScratchDatabase | undefined;
  let replica: ApiProcess | undefined;
  let authorization = '';
  const sent: Statement[] = [];
  let recording = false;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase(applicationName);
    await seed(scratch.dataSource);
    await scratch.dataSource.query('VACUUM ANALYZE tenant');
    await scratch.dataSource.query('VACUUM ANALYZE onboarding_case');
    authorization = (await makeStaff(scratch.dataSource, 'admin')).authorization;
    replica = await startApiProcess(await testPlatformConfig({ DATABASE_URL: scratch.url }), { heartbeat: false, logDestination: new LogCapture(), frontends: [] });
    const recorder: EntitySubscriberInterface = {
      beforeQuery: (event) => {
        if (recording) sent.push({ sql: event.query, params: Array.isArray(event.parameters) ? event.parameters : [] });
      },
    };
    replica.infrastructure.dataSource.subscribers.push(recorder);
  }, timeout);

  afterAll(async () => {
    await replica?.close();
    await scratch?.drop();
  });

  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the recorded API is not started: read its ${name} in a test`);
    return part;
  };
  return {
    get dataSource() {
      return started(scratch, 'data source').dataSource;
    },
    get api() {
      return started(replica, 'API').api;
    },
    get authorization() {
      return authorization;
    },
    async recording(fn) {
      sent.length = 0;
      recording = true;
      try {
        const result = await fn();
        return { result, statements: [...sent] };
      } finally {
        recording = false;
      }
    },
  };
}
