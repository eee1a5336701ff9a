import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { connect as connectSocket, type Socket } from 'node:net';
import pg from 'pg';
import { eventually } from '@fcplat/testing';
import { listenPglite, type SessionServer } from '../src/pglite-session-server.js';

/**
 * The embedded database's socket server: many `pg` connections on one PGlite session, as the
 * API, the worker and BullMQ's PostgreSQL backend use it in `npm start`.
 */
const PASSWORD = randomBytes(24).toString('base64url');

describe('embedded PostgreSQL socket server (one session, many connections)', () => {
  let db: PGlite;
  let server: SessionServer;
  let url: string;
  // On disk, as in `npm start`: PGlite then syncs to the file system between messages, which
  // lets other connections' messages arrive in the middle of an exchange.
  const dataDir = mkdtempSync(join(tmpdir(), 'fcplat-pglite-'));

  beforeAll(async () => {
    db = await PGlite.create(dataDir);
    server = await listenPglite(db, { port: 0, host: '127.0.0.1', maxConnections: 20, password: PASSWORD });
    url = `postgres://postgres:${PASSWORD}@127.0.0.1:${server.port}/postgres`;
    await db.exec('CREATE TABLE item (id int PRIMARY KEY, owner text NOT NULL)');
  });

  afterAll(async () => {
    await server.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }

  it('keeps parameterised queries of concurrent connections apart (each gets its own answer)', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect()));
    try {
      const failures: string[] = [];
      const wrong: string[] = [];
      await Promise.all(
        clients.map(async (client, c) => {
          for (let i = 0; i < 150; i++) {
            const expected = c * 1000 + i;
            try {
              // Extended protocol (Parse/Bind/Describe/Execute/Sync), with different shapes so a
              // stolen unnamed statement would show.
              const { rows } = await client.query(i % 2 ? 'SELECT $1::int AS n' : 'SELECT $1::int AS n, $2::text AS who', i % 2 ? [expected] : [expected, `c${c}`]);
              if (rows[0]?.n !== expected) wrong.push(`${c}:${i}`);
            } catch (error) {
              failures.push((error as Error).message);
            }
          }
        }),
      );
      expect(failures).toEqual([]);
      expect(wrong).toEqual([]);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('keeps an extended-protocol exchange whole when another connection queries in its middle', async () => {
    const raw = await RawConnection.open(server.port);
    const other = await connect();
    try {
      // The raw connection parses its (unnamed) statement and stops before Bind…
      raw.send(message('P', cstring(''), cstring('SELECT 42 AS answer'), int16(0)));
      // …another connection runs a query of another shape meanwhile: it must wait for the Sync…
      let answered = false;
      const meanwhile = other.query('SELECT $1::text AS other', ['B']).finally(() => (answered = true));
      await eventually(async () => server.queued() > 0 || answered, 5_000, 'the other query to be queued (or answered)');
      // …so the raw connection binds and executes its own statement, not the other one's.
      raw.send(Buffer.concat([message('B', cstring(''), cstring(''), int16(0), int16(0), int16(0)), message('E', cstring(''), int32(0)), message('S')]));
      const answer = await raw.untilReady();
      expect(answer.errors).toEqual([]);
      expect(answer.rows).toEqual([['42']]);
      expect((await meanwhile).rows).toEqual([{ other: 'B' }]);
    } finally {
      raw.close();
      await other.end();
    }
  });

  it('closes the exchange of a connection that vanishes half-way, and the others carry on', async () => {
    const raw = await RawConnection.open(server.port);
    const other = await connect();
    try {
      raw.send(message('P', cstring(''), cstring('SELECT 1 / 0')));
      raw.send(message('P', cstring(''), cstring('SELECT 1'), int16(0)));
      let answered = false;
      const meanwhile = other.query('SELECT $1::int AS n', [5]).finally(() => (answered = true));
      await eventually(async () => server.queued() > 0 || answered, 5_000, 'the other query to be queued (or answered)');
      raw.close();
      expect((await meanwhile).rows).toEqual([{ n: 5 }]);
      expect((await other.query('SELECT $1::text AS still', ['ok'])).rows).toEqual([{ still: 'ok' }]);
    } finally {
      await other.end();
    }
  });

  it('gives a transaction the session until it ends, and an SQL error in one connection does not stall the others', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO item (id, owner) VALUES ($1, $2)', [1, 'a']);
      // b waits for the session while a's transaction is open…
      const bRead = b.query('SELECT count(*)::int AS n FROM item WHERE id = $1', [1]);
      await expect(a.query('SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
      await a.query('ROLLBACK');
      // …then runs after it, and sees nothing of the rolled-back row.
      expect((await bRead).rows[0].n).toBe(0);
      await expect(b.query('SELECT $1::text AS ok', ['yes'])).resolves.toMatchObject({ rows: [{ ok: 'yes' }] });
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('rolls back the transaction of a connection that vanishes, and the others carry on', async () => {
    const [gone, other] = await Promise.all([connect(), connect()]);
    await gone.query('BEGIN');
    await gone.query('INSERT INTO item (id, owner) VALUES ($1, $2)', [2, 'gone']);
    const waiting = other.query('SELECT count(*)::int AS n FROM item WHERE id = $1', [2]);
    gone.on('error', () => undefined);
    (gone as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    try {
      expect((await waiting).rows[0].n).toBe(0);
      await other.query('INSERT INTO item (id, owner) VALUES ($1, $2)', [2, 'other']);
      expect((await other.query('SELECT owner FROM item WHERE id = $1', [2])).rows).toEqual([{ owner: 'other' }]);
    } finally {
      await other.end();
    }
  });

  it('refuses connections beyond the limit', async () => {
    const small = await listenPglite(db, { port: 0, host: '127.0.0.1', maxConnections: 1, password: PASSWORD });
    const first = new pg.Client({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${small.port}/postgres` });
    const second = new pg.Client({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${small.port}/postgres` });
    second.on('error', () => undefined);
    try {
      await first.connect();
      await expect(second.connect()).rejects.toThrow();
      expect((await first.query('SELECT $1::int AS n', [7])).rows[0].n).toBe(7);
    } finally {
      await first.end();
      await small.stop();
    }
  });
});

/** Just enough of the PostgreSQL frontend protocol to stop an exchange half-way. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connectSocket(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const connection = new RawConnection(socket);
    const body = Buffer.concat([int32(196_608), cstring('user'), cstring('postgres'), cstring('database'), cstring('postgres'), Buffer.from([0])]);
    socket.write(Buffer.concat([int32(body.length + 4), body]));
    await connection.scram(PASSWORD);
    await connection.untilReady();
    return connection;
  }

  /** The client side of SCRAM-SHA-256, written from RFC 5802 (independently of the server's). */
  private async scram(password: string): Promise<void> {
    const expectAuth = async (code: number): Promise<Buffer> => {
      const frame = await this.frame();
      if (frame.type !== 'R' || frame.payload.readInt32BE(0) !== code) throw new Error(`expected authentication message ${code}, got ${frame.type}`);
      return frame.payload.subarray(4);
    };
    await expectAuth(10);
    const clientNonce = randomBytes(18).toString('base64');
    const clientFirstBare = `n=,r=${clientNonce}`;
    const first = Buffer.from(`n,,${clientFirstBare}`);
    this.send(message('p', cstring('SCRAM-SHA-256'), int32(first.length), first));
    const serverFirst = (await expectAuth(11)).toString();
    const fields = new Map(serverFirst.split(',').map((part) => [part[0], part.slice(2)] as const));
    const salted = pbkdf2Sync(password, Buffer.from(fields.get('s') ?? '', 'base64'), Number(fields.get('i')), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const withoutProof = `c=biws,r=${fields.get('r') ?? ''}`;
    const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', createHash('sha256').update(clientKey).digest()).update(auth).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
    this.send(message('p', Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)));
    const final = (await expectAuth(12)).toString();
    const serverSignature = createHmac('sha256', createHmac('sha256', salted).update('Server Key').digest()).update(auth).digest();
    if (final !== `v=${serverSignature.toString('base64')}`) throw new Error('the server did not prove it knows the password');
  }

  private async frame(): Promise<{ type: string; payload: Buffer }> {
    while (this.buffer.length < 5 || this.buffer.length < 1 + this.buffer.readInt32BE(1)) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const type = String.fromCharCode(this.buffer[0] ?? 0);
    const length = this.buffer.readInt32BE(1);
    const payload = this.buffer.subarray(5, 1 + length);
    this.buffer = this.buffer.subarray(1 + length);
    return { type, payload };
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Reads backend messages up to ReadyForQuery: the data rows (as text) and error messages. */
  async untilReady(): Promise<{ rows: string[][]; errors: string[] }> {
    const rows: string[][] = [];
    const errors: string[] = [];
    for (;;) {
      const { type, payload } = await this.frame();
      if (type === 'Z') return { rows, errors };
      if (type === 'E') errors.push(payload.toString('utf8').replace(/\0/g, ' ').trim());
      if (type === 'D') {
        const row: string[] = [];
        let offset = 2;
        for (let column = 0; column < payload.readInt16BE(0); column++) {
          const size = payload.readInt32BE(offset);
          row.push(payload.subarray(offset + 4, offset + 4 + size).toString('utf8'));
          offset += 4 + size;
        }
        rows.push(row);
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}
function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`);
}
function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}
function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}
