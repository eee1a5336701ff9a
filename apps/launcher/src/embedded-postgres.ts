import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { listenPglite } from './pglite-session-server.js';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server (no password: it listens on 127.0.0.1 only). */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Upper bound of client connections; every pool of every process must fit in it. */
  readonly maxConnections: number;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite) behind a PostgreSQL-protocol socket on
 * 127.0.0.1, with its data kept in `dataDir` across restarts. All connections share ONE
 * backend session, handed over only between whole exchanges (`SessionQueue`): code must
 * never wait on a second connection from inside a transaction (see docs/architecture.md).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  // pglite-socket ignores the startup `search_path` option that BullMQ's PostgreSQL backend
  // sends, and the single session is shared, so the path is set once for everybody.
  await db.exec('SET search_path TO public, bullmq');
  const server = await listenPglite(db, { port: options.port, host: '127.0.0.1', maxConnections: options.maxConnections });
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
