import { createServer, type Server } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

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
 */
export class SessionQueue {
  private readonly pending: Pending[] = [];
  private processing = false;
  /** The connection that last ran a message, i.e. the one that may hold the session. */
  private owner: number | null = null;
  /** The owner sent extended-protocol messages and has not sent Sync yet. */
  private inExchange = false;

  constructor(private readonly db: PGlite) {}

  /** Called by the socket handler for every complete frontend message of a connection. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
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
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

export interface SessionServerOptions {
  readonly port: number;
  readonly host: string;
  /** Connections beyond this are refused (every pool of every process must fit in it). */
  readonly maxConnections: number;
}

export interface SessionServer {
  readonly port: number;
  /** Messages waiting for the session. */
  queued(): number;
  stop(): Promise<void>;
}

/** A PostgreSQL-protocol server on `host:port` in front of `db`, with {@link SessionQueue}. */
export async function listenPglite(db: PGlite, options: SessionServerOptions): Promise<SessionServer> {
  await db.waitReady;
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  // The handler's option is typed with pglite-socket's own (unexported) queue class; ours has the
  // same public methods, which are all the handler calls.
  const queryQueue = queue as unknown as PGLiteSocketHandlerOptions['queryQueue'];
  const server: Server = createServer((socket) => {
    if (handlers.size >= options.maxConnections) {
      socket.end('Too many connections\n');
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.add(handler);
    const forget = (): void => void handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
