/**
 * Counts the SQL statements a process sends to PostgreSQL, from outside it: a TCP proxy on
 * 127.0.0.1 that forwards bytes both ways untouched and reads the frontend messages of the wire
 * protocol (v3) going to the server. A statement is a simple `Query` ('Q') or an extended-protocol
 * `Execute` ('E'); `START TRANSACTION` and `COMMIT` are statements too (each a round trip). Point
 * the process's `DATABASE_URL` at {@link PgStatementCounter.url} and read {@link count} around what
 * you measure. Everything the process sends is seen, whichever client (TypeORM, a bare `pg` pool)
 * sent it, so nothing can hide from the count. Used by tests and by `tools/bench`; TLS is not
 * supported (the proxy answers no to an `SSLRequest`, as a server without TLS would).
 *
 * It can also play a slow network for the connections of one `application_name` (as the client
 * announces it in its startup message): what the server sends them is held `ms` before it is
 * forwarded, in order — e.g. change notifications arriving late at a replica.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
/** Kept for diagnostics: the last statements' text (a failing count shows what ran). */
const KEPT_TEXTS = 200;

export interface PgProxyOptions {
  /** The server's bytes to connections of this `application_name` are held `ms` milliseconds. */
  readonly lag?: { readonly applicationName: string; readonly ms: number };
}

export interface PgStatementCounter {
  /** `postgres://…` of the upstream database, through the proxy. */
  readonly url: string;
  /** Statements sent so far (all connections). */
  count(): number;
  /** The text of the statements sent since `from` (a value of {@link count}), as far as kept. */
  textsSince(from: number): string[];
  close(): Promise<void>;
}

/** Reads one connection's client-to-server stream and reports each statement. */
export class FrontendMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private startup = true;
  /** Texts of the unnamed prepared statements parsed and not yet executed, by statement name. */
  private readonly parsed = new Map<string, string>();
  private pendingPortal = new Map<string, string>();

  constructor(
    private readonly onStatement: (text: string) => void,
    /** The startup message's parameters (`user`, `database`, `application_name`…). */
    private readonly onStartup: (parameters: ReadonlyMap<string, string>) => void = () => undefined,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.startup) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const body = this.buffer.subarray(8, length);
        this.buffer = this.buffer.subarray(length);
        // An SSL or GSS request is followed by the real startup message.
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) {
          this.startup = false;
          this.onStartup(startupParameters(body));
        }
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = String.fromCharCode(this.buffer[0] ?? 0);
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      const body = this.buffer.subarray(5, 1 + length);
      this.buffer = this.buffer.subarray(1 + length);
      this.message(type, body);
    }
  }

  private message(type: string, body: Buffer): void {
    switch (type) {
      case 'Q':
        this.onStatement(cString(body, 0).text);
        return;
      case 'P': {
        const name = cString(body, 0);
        this.parsed.set(name.text, cString(body, name.next).text);
        return;
      }
      case 'B': {
        const portal = cString(body, 0);
        const statement = cString(body, portal.next);
        this.pendingPortal.set(portal.text, this.parsed.get(statement.text) ?? '(prepared statement)');
        return;
      }
      case 'E': {
        const portal = cString(body, 0);
        this.onStatement(this.pendingPortal.get(portal.text) ?? '(portal)');
        return;
      }
      default:
    }
  }
}

/** The `name\0value\0…\0` pairs of a startup message's body. */
function startupParameters(body: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const name = cString(body, at);
    const value = cString(body, name.next);
    parameters.set(name.text, value.text);
    at = value.next;
  }
  return parameters;
}

function cString(buffer: Buffer, from: number): { text: string; next: number } {
  const end = buffer.indexOf(0, from);
  const stop = end === -1 ? buffer.length : end;
  return { text: buffer.toString('utf8', from, stop), next: stop + 1 };
}

/** Starts the proxy in front of the database of `databaseUrl` (host and port taken from it). */
export async function startPgStatementCounter(databaseUrl: string, options: PgProxyOptions = {}): Promise<PgStatementCounter> {
  const upstream = new URL(databaseUrl);
  let statements = 0;
  const texts: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    let lagMs = 0;
    const reader = new FrontendMessageReader(
      (text) => {
        statements += 1;
        texts.push(text);
        if (texts.length > KEPT_TEXTS) texts.shift();
      },
      (parameters) => {
        if (options.lag && parameters.get('application_name') === options.lag.applicationName) lagMs = options.lag.ms;
      },
    );
    const backend = connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client);
    sockets.add(backend);
    client.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      backend.write(chunk);
    });
    // Timers of one delay fire in the order they were set: the held bytes keep their order.
    backend.on('data', (chunk: Buffer) => (lagMs > 0 ? setTimeout(() => !client.destroyed && client.write(chunk), lagMs) : client.write(chunk)));
    const end = (): void => {
      client.destroy();
      backend.destroy();
      sockets.delete(client);
      sockets.delete(backend);
    };
    client.on('close', end);
    backend.on('close', end);
    client.on('error', end);
    backend.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('pg statement counter: no port');
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);
  return {
    url: proxied.toString(),
    count: () => statements,
    textsSince: (from) => texts.slice(Math.max(0, texts.length - (statements - from))),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
