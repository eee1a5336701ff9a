/**
 * Sandbox stand-in for an SMTP relay: accepts every message on 127.0.0.1 (no TLS, no
 * authentication), keeps the last ones in memory, and shows them on an HTTP inbox so people and
 * tests can read the invitations and password-reset links the platform sends.
 *
 * - SMTP: `smtp://127.0.0.1:<port>`, messages up to 1 MiB, at most 20 concurrent clients.
 * - HTTP (the sandbox service `mail`): `GET /messages[?to=address]` (newest first) and
 *   `DELETE /messages`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { baseHandler, sendJson, type Handler, type SandboxService } from './http.js';

export interface SinkMessage {
  readonly id: number;
  /** Envelope recipients (RCPT TO), lower-case. */
  readonly to: readonly string[];
  /** Envelope sender (MAIL FROM). */
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  /** When the sink received it (ISO 8601). */
  readonly date: string;
  /** The `To:` header as written by the sender. */
  readonly headerTo: string;
}

export interface MailSinkOptions {
  readonly host?: string;
  /** SMTP port; 0 (the default) picks a free one. */
  readonly smtpPort?: number;
  /** How many messages are kept (the oldest are dropped first). */
  readonly maxMessages?: number;
  /** Largest accepted message, in bytes. */
  readonly sizeLimit?: number;
}

export interface MailSink {
  readonly smtpUrl: string;
  /** The sandbox service serving the inbox over HTTP. */
  readonly service: SandboxService;
  messages(to?: string): readonly SinkMessage[];
  clear(): void;
  stop(): Promise<void>;
}

const DEFAULT_MAX_MESSAGES = 500;
const DEFAULT_SIZE_LIMIT = 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

/** Starts the SMTP side; its HTTP inbox is `sink.service`, served by the sandbox (or by {@link startStandaloneMailSink}). */
export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const host = options.host ?? '127.0.0.1';
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const sizeLimit = options.sizeLimit ?? DEFAULT_SIZE_LIMIT;
  const store: SinkMessage[] = [];
  let nextId = 1;

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void): void => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= sizeLimit) chunks.push(chunk);
    });
    stream.on('error', (error: Error) => callback(error));
    stream.on('end', () => {
      if (stream.sizeExceeded || length > sizeLimit) {
        const error = Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 });
        callback(error);
        return;
      }
      simpleParser(Buffer.concat(chunks), { skipImageLinks: true, skipTextToHtml: true }).then(
        (parsed) => {
          store.push({
            id: nextId++,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            date: new Date().toISOString(),
            headerTo: addresses(parsed.to),
          });
          if (store.length > maxMessages) store.splice(0, store.length - maxMessages);
          callback();
        },
        (error: unknown) => callback(Object.assign(new Error(`Unparseable message: ${error instanceof Error ? error.message : 'error'}`), { responseCode: 554 })),
      );
    });
  };

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: sizeLimit,
    maxClients: 20,
    banner: 'fcplat sandbox mail sink',
    logger: false,
    socketTimeout: 30_000,
    closeTimeout: 2_000,
    onData,
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => {
      smtp.server.off('error', reject);
      resolve();
    });
  });
  const { port } = smtp.server.address() as AddressInfo;

  const messages = (to?: string): readonly SinkMessage[] => {
    const wanted = to?.toLowerCase();
    return store.filter((m) => !wanted || m.to.includes(wanted)).reverse();
  };
  const clear = (): void => {
    store.length = 0;
  };
  const routes: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname !== '/messages') return;
    if (req.method === 'GET') return sendJson(res, 200, messages(url.searchParams.get('to') ?? undefined), { 'Cache-Control': 'no-store' });
    if (req.method === 'DELETE') {
      clear();
      res.writeHead(204).end();
      return;
    }
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, DELETE' });
  };
  const meta = { id: 'mail', label: 'Boîte mail (bac à sable)' } as const;
  return {
    smtpUrl: `smtp://${host}:${port}`,
    service: { ...meta, handler: baseHandler(meta, routes, 'an SMTP relay (messages kept in memory, readable at GET /messages)') },
    messages,
    clear,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

export interface StandaloneMailSink extends MailSink {
  /** Base URL of the HTTP inbox (`${inboxUrl}/messages`). */
  readonly inboxUrl: string;
}

/** The sink with its own HTTP inbox, without the other stand-ins (for tests). */
export async function startStandaloneMailSink(options: MailSinkOptions & { readonly httpPort?: number } = {}): Promise<StandaloneMailSink> {
  const host = options.host ?? '127.0.0.1';
  const sink = await startMailSink(options);
  const server: Server = createServer((req, res) => {
    Promise.resolve(sink.service.handler(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'sandbox_error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.httpPort ?? 0, host, () => resolve());
    });
  } catch (error) {
    await sink.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    ...sink,
    inboxUrl: `http://${host}:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sink.stop();
    },
  };
}
