import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { authenticate, scramVerifier } from './pg-auth.js';

/**
 * PGlite has ONE backend session; every client connection is multiplexed onto it.
 *
 * `pglite-socket`'s own queue hands the session from one connection to the next at every protocol
 * message, except inside a transaction. That is not enough for the extended query protocol that
 * `pg` uses for every parameterised query (Parse, Bind, Describe, Execute, then Sync): when two
 * connections interleave their messages, one's Parse replaces the other's unnamed statement and
 * the other fails with "unnamed prepared statement does not exist" (seen in embedded mode as a
 * readiness check failing once in ~40 probes). Its queue also stops for good after a message that
 * throws.
 *
 * This queue keeps the session with one connection from its first extended-protocol message until
 * its Sync, and for as long as a transaction it started is open; otherwise it serves messages in
 * arrival order. A connection that goes away mid-exchange or mid-transaction gets its exchange
 * closed (Sync) and its transaction rolled back, so the others carry on.
 *
 * Session state (settings, role) is shared too: a `psql` user's `SET search_path = pg_catalog`, or
 * `pg_dump`'s `set_config('search_path', '', false)`, would otherwise change it for every process
 * of the platform until restart. So at every hand-over (the session goes to another connection
 * than the one that ran the last message) the queue resets it (`SET SESSION AUTHORIZATION
 * DEFAULT; RESET ALL`) and replays the platform's own set-up (`sessionSetup`). A connection's
 * session settings thus last only while it keeps the session; no connection's settings reach
 * another's queries. A Terminate message is not passed to the shared backend.
 */
export class SessionQueue {
  private readonly pending: Pending[] = [];
  private processing = false;
  /** The connection that last ran a message, i.e. the one that may hold the session. */
  private owner: number | null = null;
  /** The owner sent extended-protocol messages and has not sent Sync yet. */
  private inExchange = false;

  /** SQL run at every hand-over: resets the session, then restores what the platform needs. */
  private readonly resetSql: string;

  constructor(
    private readonly db: PGlite,
    sessionSetup = '',
  ) {
    this.resetSql = `SET SESSION AUTHORIZATION DEFAULT; RESET ALL;${sessionSetup ? ` ${sessionSetup}` : ''}`;
  }

  /** Resets the shared session: at every hand-over, and once before the first client. */
  async reset(): Promise<void> {
    await this.db.exec(this.resetSql);
  }

  /** Called by the socket handler for every complete frontend message of a connection. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    // Terminate ends the client's connection, not the shared backend: never passed to PGlite.
    if (message[0] === TERMINATE) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  /** The connection went away: its queued messages are dropped. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const item = this.pending[i];
      if (item?.handlerId !== handlerId) continue;
      this.pending.splice(i, 1);
      item.reject(new Error('connection closed'));
    }
  }

  /** The connection went away: if it held the session, close its exchange and roll its transaction back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.inExchange) {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => undefined }));
      this.inExchange = false;
    }
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.drain();
  }

  private holdsSession(): boolean {
    return this.owner !== null && (this.inExchange || this.db.isInTransaction());
  }

  /** The next message to run: the owner's while it holds the session (none if it has not sent one yet). */
  private next(): Pending | undefined {
    if (!this.holdsSession()) return this.pending.shift();
    const index = this.pending.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          // A hand-over: whatever the previous connection set is undone before this one runs.
          if (current.handlerId !== this.owner) await this.reset();
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          // PGlite itself failed (not an SQL error, which is a normal ErrorResponse): this
          // connection is told, the others go on.
          current.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        this.track(current);
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  private track(item: Pending): void {
    this.owner = item.handlerId;
    const type = item.message[0] ?? 0;
    if (EXTENDED_MESSAGES.has(type)) this.inExchange = true;
    else if (type === SYNC || type === SIMPLE_QUERY) this.inExchange = false;
  }
}

interface Pending {
  readonly handlerId: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: Error) => void;
}

const code = (letter: string): number => letter.charCodeAt(0);
/** Parse, Bind, Describe, Execute, Close, Flush: they belong to an exchange that Sync ends. */
const EXTENDED_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
const SYNC = code('S');
const SIMPLE_QUERY = code('Q');
const TERMINATE = code('X');
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

export interface SessionServerOptions {
  readonly port: number;
  readonly host: string;
  /** Connections beyond this are refused (every pool of every process must fit in it). */
  readonly maxConnections: number;
  /** Every client must authenticate with it (SCRAM-SHA-256); see `pg-auth.ts`. */
  readonly password: string;
  /** SQL replayed after every session reset: what the platform needs (e.g. its search_path). */
  readonly sessionSetup?: string;
  /** How long a new connection has to authenticate (default 10 s). */
  readonly authTimeoutMs?: number;
}

export interface SessionServer {
  readonly port: number;
  /** Messages waiting for the session. */
  queued(): number;
  stop(): Promise<void>;
}

/** A PostgreSQL-protocol server on `host:port` in front of `db`, with {@link SessionQueue}. */
export async function listenPglite(db: PGlite, options: SessionServerOptions): Promise<SessionServer> {
  if (options.password.length < 16) throw new Error('the embedded database password must have at least 16 characters');
  await db.waitReady;
  const queue = new SessionQueue(db, options.sessionSetup);
  await queue.reset();
  const verifier = scramVerifier(options.password);
  const handlers = new Set<PGLiteSocketHandler>();
  const sockets = new Set<Socket>();
  // The handler's option is typed with pglite-socket's own (unexported) queue class; ours has the
  // same public methods, which are all the handler calls.
  const queryQueue = queue as unknown as PGLiteSocketHandlerOptions['queryQueue'];
  const server: Server = createServer((socket) => {
    if (sockets.size >= options.maxConnections) {
      socket.end('Too many connections\n');
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(), options.authTimeoutMs ?? 10_000).unref();
    authenticate(socket, verifier).then(
      ({ startup, rest }) => {
        clearTimeout(timer);
        if (socket.destroyed) return;
        // The startup message (and anything after it) goes to PGlite through the queue, whose
        // answer supplies AuthenticationOk, the parameters and ReadyForQuery.
        socket.pause();
        socket.unshift(Buffer.concat([startup, rest]));
        const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
        handlers.add(handler);
        const forget = (): void => void handlers.delete(handler);
        handler.addEventListener('close', forget);
        handler.addEventListener('error', forget);
        handler.attach(socket).then(
          () => socket.resume(),
          () => {
            forget();
            socket.destroy();
          },
        );
      },
      () => {
        clearTimeout(timer);
        // The client was told (FATAL 28P01 / 08P01) when it could be; nothing reached PGlite.
        if (!socket.destroyed) socket.destroySoon();
      },
    );
  });
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    queued: () => queue.getQueueLength(),
    stop: async () => {
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
