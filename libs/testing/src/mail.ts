import { eventually } from './wait.js';

/** A message as the sandbox mail sink's inbox shows it (`GET /messages`). */
export interface InboxMessage {
  readonly id: number;
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly date: string;
  readonly headerTo: string;
}

/**
 * Reads the HTTP inbox of the sandbox mail sink (apps/sandbox/src/mail-sink.ts) over real HTTP.
 * The sink itself is started by the test: `startSandbox()` (its `mail` service) or
 * `startStandaloneMailSink()` from the sandbox app; this library may not import apps, so it only
 * speaks the sink's HTTP protocol.
 */
export class MailInbox {
  /** @param baseUrl the sink's HTTP base URL (`sandbox.url('mail')` or `sink.inboxUrl`). */
  constructor(private readonly baseUrl: string) {}

  /** Messages received for `to` (every message without it), newest first. */
  async list(to?: string): Promise<InboxMessage[]> {
    const url = new URL('/messages', this.baseUrl);
    if (to) url.searchParams.set('to', to);
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`mail sink inbox answered ${response.status}`);
    return (await response.json()) as InboxMessage[];
  }

  async clear(): Promise<void> {
    const response = await fetch(new URL('/messages', this.baseUrl), { method: 'DELETE', signal: AbortSignal.timeout(5_000) });
    if (response.status !== 204) throw new Error(`mail sink inbox answered ${response.status}`);
  }

  /**
   * Waits for the `count`-th message to `to` (optionally whose subject matches) and returns the
   * newest matching one.
   */
  async waitFor(to: string, options: { subject?: RegExp; count?: number; timeoutMs?: number } = {}): Promise<InboxMessage> {
    const count = options.count ?? 1;
    return eventually(
      async () => {
        const messages = (await this.list(to)).filter((m) => !options.subject || options.subject.test(m.subject));
        return messages.length >= count ? messages[0] : null;
      },
      options.timeoutMs ?? 10_000,
      `e-mail #${count} to ${to}`,
    );
  }
}

/** The first link in `text` whose path starts with `pathPrefix` (e.g. `/console/invitation`), as a URL. */
export function linkIn(text: string, pathPrefix: string): URL {
  for (const match of text.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(pathPrefix)) return url;
  }
  throw new Error(`no link to ${pathPrefix} in the message`);
}
