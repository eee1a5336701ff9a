/** Real loopback servers that misbehave on purpose, for the outbound-http integration tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Every socket accepted so far. */
  readonly sockets: Socket[];
  /** Resolves when every accepted socket is closed (the client gave up and destroyed it). */
  allSocketsClosed(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function track(server: Server | NetServer): { sockets: Socket[]; closed: WeakSet<Socket> } {
  const sockets: Socket[] = [];
  const closed = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    socket.on('close', () => closed.add(socket));
    socket.on('error', () => undefined);
  });
  return { sockets, closed };
}

function wrap(server: Server | NetServer, scheme: string): Promise<TestServer> {
  const { sockets, closed } = track(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        port,
        sockets,
        allSocketsClosed: async (timeoutMs = 2000) => {
          const deadline = Date.now() + timeoutMs;
          while (sockets.some((s) => !closed.has(s))) {
            if (Date.now() > deadline) throw new Error('a server-side socket is still open');
            await new Promise((r) => setTimeout(r, 10));
          }
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  server.keepAliveTimeout = 100;
  return wrap(server, 'http');
}

/** Accepts TCP connections and never says a word: a TLS handshake against it never completes. */
export function startSilentTcpServer(): Promise<TestServer> {
  return wrap(
    // Reads (and drops) whatever the client sends, so that its FIN/RST is noticed.
    createNetServer((socket) => socket.resume()),
    'https',
  );
}

export function startServer(server: Server, scheme: 'http' | 'https'): Promise<TestServer> {
  return wrap(server, scheme);
}

/** A loopback port on which nobody listens. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
