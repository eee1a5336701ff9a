import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { listenPglite } from './pglite-session-server.js';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server, with its password (keep it out of logs). */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Upper bound of client connections; every pool of every process must fit in it. */
  readonly maxConnections: number;
  /** Password every client must give (SCRAM-SHA-256); see `embeddedDatabasePassword`. */
  readonly password: string;
}

/** What the platform needs of the shared session, restored after every hand-over. */
export const EMBEDDED_SESSION_SETUP = 'SET search_path TO public, bullmq';

/**
 * PostgreSQL compiled to WebAssembly (PGlite) behind a PostgreSQL-protocol socket on
 * 127.0.0.1, with its data kept in `dataDir` across restarts. All connections share ONE
 * backend session, handed over only between whole exchanges (`SessionQueue`): code must
 * never wait on a second connection from inside a transaction (see docs/architecture.md).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  // PGlite builds contrib extensions separately: those the migrations create must be loaded here
  // (`pg_trgm` serves the tenant list's search, migration 1765300000000-tenant-list-search;
  // `unaccent` folds the names it searches, migration 1766000000000-forgiving-tenant-search).
  const db = await PGlite.create(options.dataDir, { extensions: { pg_trgm, unaccent } });
  // pglite-socket ignores the startup `search_path` option that BullMQ's PostgreSQL backend
  // sends, and the single session is shared, so the path is set for everybody, again after every
  // hand-over between connections (a psql or pg_dump user cannot change it for the platform).
  const server = await listenPglite(db, {
    port: options.port,
    host: '127.0.0.1',
    maxConnections: options.maxConnections,
    password: options.password,
    sessionSetup: EMBEDDED_SESSION_SETUP,
  });
  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${server.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
