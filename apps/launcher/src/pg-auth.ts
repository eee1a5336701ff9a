import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * PostgreSQL password authentication (SCRAM-SHA-256, RFC 5802 / 7677, as PostgreSQL does it) in
 * front of PGlite: `pglite-socket` 0.2.17 has none (it hands the startup message to PGlite, which
 * answers AuthenticationOk to anybody). This module reads the connection's first messages
 * (SSLRequest / GSSENCRequest refused with 'N', CancelRequest ignored), runs the SCRAM exchange
 * against the password, and on success gives back the startup message and any bytes that
 * followed, for the session handler; PGlite's own answer to the startup message then supplies
 * AuthenticationOk, the parameters and ReadyForQuery. The password never crosses the socket.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_BYTES = 10_000;
const ITERATIONS = 4096;

export interface ScramVerifier {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** The server side's verifier of a password (computed once: PBKDF2 is deliberately slow). */
export function scramVerifier(password: string): ScramVerifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256');
  return {
    salt,
    iterations: ITERATIONS,
    storedKey: createHash('sha256').update(hmac(salted, 'Client Key')).digest(),
    serverKey: hmac(salted, 'Server Key'),
  };
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export interface Authenticated {
  /** The client's StartupMessage, to be answered by PGlite. */
  readonly startup: Buffer;
  /** Bytes the client sent after its last authentication message (normally none). */
  readonly rest: Buffer;
  readonly user: string;
}

export class AuthenticationFailed extends Error {}

/** Frames of the connection's byte stream: untyped (startup phase) or typed (`p` messages). */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
    socket.once('error', this.onClose);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_STARTUP_BYTES) this.failure = new AuthenticationFailed('startup too large');
    this.waiter?.();
  };

  private readonly onClose = (): void => {
    this.failure ??= new AuthenticationFailed('connection closed');
    this.waiter?.();
  };

  /** Stops listening; returns what was read but not consumed. */
  release(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onClose);
    return this.buffer;
  }

  private async need(bytes: number): Promise<void> {
    while (this.buffer.length < bytes) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  private take(bytes: number): Buffer {
    const out = this.buffer.subarray(0, bytes);
    this.buffer = this.buffer.subarray(bytes);
    return Buffer.from(out);
  }

  async untyped(): Promise<Buffer> {
    await this.need(4);
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_BYTES) throw new AuthenticationFailed('invalid startup length');
    await this.need(length);
    return this.take(length);
  }

  async typed(): Promise<{ type: string; body: Buffer }> {
    await this.need(5);
    const length = this.buffer.readInt32BE(1);
    if (length < 4 || length > MAX_STARTUP_BYTES) throw new AuthenticationFailed('invalid message length');
    await this.need(1 + length);
    const frame = this.take(1 + length);
    return { type: String.fromCharCode(frame[0] ?? 0), body: frame.subarray(5) };
  }
}

function authMessage(code: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  out.write('R', 0, 'latin1');
  out.writeInt32BE(8 + payload.length, 1);
  out.writeInt32BE(code, 5);
  payload.copy(out, 9);
  return out;
}

/** A FATAL ErrorResponse (SQLSTATE 28P01 or 08P01), as PostgreSQL sends it. */
export function fatalMessage(sqlState: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[`SFATAL`, `VFATAL`, `C${sqlState}`, `M${message}`].map((field) => Buffer.from(`${field}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const out = Buffer.alloc(5 + fields.length);
  out.write('E', 0, 'latin1');
  out.writeInt32BE(4 + fields.length, 1);
  fields.copy(out, 5);
  return out;
}

function startupUser(startup: Buffer): string {
  const parts = startup.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === 'user') return parts[i + 1] ?? '';
  return '';
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) map.set(part[0] ?? '', part.slice(2));
  }
  return map;
}

/**
 * Runs the startup phase of one connection: resolves once the client proved it knows the
 * password; rejects with {@link AuthenticationFailed} (after telling the client) otherwise.
 */
export async function authenticate(socket: Socket, verifier: ScramVerifier): Promise<Authenticated> {
  const reader = new Reader(socket);
  const refuse = (sqlState: string, message: string): never => {
    if (socket.writable) socket.end(fatalMessage(sqlState, message));
    throw new AuthenticationFailed(message);
  };
  try {
    let startup: Buffer;
    for (;;) {
      const frame = await reader.untyped();
      const code = frame.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write('N'); // no TLS / GSS encryption on the loopback socket
        continue;
      }
      if (code === CANCEL_REQUEST) throw new AuthenticationFailed('cancel requests are not supported');
      if (code >>> 16 !== 3) refuse('08P01', 'unsupported frontend protocol');
      startup = frame;
      break;
    }
    const user = startupUser(startup);
    socket.write(authMessage(10, Buffer.from('SCRAM-SHA-256\0\0', 'latin1')));

    // SASLInitialResponse: mechanism, then the client-first-message.
    const initial = await reader.typed();
    if (initial.type !== 'p') refuse('08P01', 'expected a SASL response');
    const nul = initial.body.indexOf(0);
    const mechanism = initial.body.subarray(0, nul).toString('latin1');
    if (mechanism !== 'SCRAM-SHA-256') refuse('28000', 'only SCRAM-SHA-256 is supported');
    const size = initial.body.readInt32BE(nul + 1);
    const clientFirst = initial.body.subarray(nul + 5, nul + 5 + size).toString('utf8');
    const gs2 = /^([ny]),,/.exec(clientFirst);
    if (!gs2) refuse('28000', 'channel binding is not supported');
    const clientFirstBare = clientFirst.slice(3);
    const clientNonce = attributes(clientFirstBare).get('r');
    if (!clientNonce || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) refuse('08P01', 'malformed SCRAM client-first-message');
    const nonce = `${clientNonce}${randomBytes(18).toString('base64')}`;
    const serverFirst = `r=${nonce},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
    socket.write(authMessage(11, Buffer.from(serverFirst, 'utf8')));

    // SASLResponse: the client-final-message with its proof.
    const response = await reader.typed();
    if (response.type !== 'p') refuse('08P01', 'expected a SASL response');
    const clientFinal = response.body.toString('utf8');
    const proofAt = clientFinal.lastIndexOf(',p=');
    const final = attributes(clientFinal);
    const proof = Buffer.from(final.get('p') ?? '', 'base64');
    const expectedBinding = Buffer.from(`${gs2?.[0] ?? ''}`, 'utf8').toString('base64');
    let ok = proofAt > 0 && final.get('r') === nonce && final.get('c') === expectedBinding && proof.length === 32;
    let serverSignature: Buffer = Buffer.alloc(0);
    if (ok) {
      const auth = `${clientFirstBare},${serverFirst},${clientFinal.slice(0, proofAt)}`;
      const clientSignature = hmac(verifier.storedKey, auth);
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (clientSignature[i] ?? 0)));
      ok = timingSafeEqual(createHash('sha256').update(clientKey).digest(), verifier.storedKey);
      serverSignature = hmac(verifier.serverKey, auth);
    }
    if (!ok) refuse('28P01', `password authentication failed for user "${user.replace(/[^\x20-\x7e]/g, '?').slice(0, 63)}"`);
    socket.write(authMessage(12, Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8')));
    return { startup, rest: reader.release(), user };
  } catch (error) {
    reader.release();
    throw error instanceof AuthenticationFailed ? error : new AuthenticationFailed(error instanceof Error ? error.message : String(error));
  }
}
