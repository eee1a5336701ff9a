import type { DataSource } from 'typeorm';
import { LogCapture, MailInbox, withBrowserWriteHeaders } from '@fcplat/testing';
import { startStandaloneMailSink, type StandaloneMailSink } from '../../sandbox/src/mail-sink.js';
import { useTestApi, type TestApi } from './api-harness.js';

/** Who makes a call: a console session's cookie, an API token's `Authorization` value, or both. */
export interface Credentials {
  readonly cookie?: string;
  readonly authorization?: string;
}

export interface AccountsReply {
  readonly status: number;
  /** The JSON document answered (`{}` for an empty or non-JSON body, e.g. a CSV export). */
  readonly body: Record<string, unknown>;
  readonly text: string;
  readonly headers: Headers;
}

/** A call to the API at `base` as `who`, with what the console's front-end adds to a write. */
export async function accountsRequest(base: string, method: string, path: string, who: Credentials, body?: unknown): Promise<AccountsReply> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (who.cookie) headers.cookie = who.cookie;
  if (who.authorization) headers.authorization = who.authorization;
  const response = await fetch(`${base}${path}`, { method, headers: withBrowserWriteHeaders(method, path, headers), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {}; // the CSV export
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

export interface AuditRow {
  action: string;
  actor_type: string;
  actor_id: string | null;
  tenant_id: string | null;
  changes: Record<string, unknown>;
}

/** The audit rows about `targetId`, oldest first. */
export async function auditRowsOf(dataSource: DataSource, targetId: string): Promise<AuditRow[]> {
  return (await dataSource.query(`SELECT action, actor_type, actor_id, tenant_id, changes FROM audit_log WHERE target_id = $1 ORDER BY id`, [targetId])) as AuditRow[];
}

/** The set-up of the account tests (see {@link useAccountsApi}). */
export interface AccountsApi {
  /** One capture for every API of the file: nestjs-pino keeps its logger per process, not per app. */
  readonly logs: LogCapture;
  readonly platform: TestApi;
  /** The mail sink's inbox (the API's invitations, resets...). */
  readonly inbox: MailInbox;
}

/**
 * Registers the set-up shared by the account tests on the calling `describe`: before all, a mail
 * sink on 127.0.0.1 and its inbox, and the test API sending its mail there (`env` over the test
 * configuration besides `SMTP_URL`), its logs captured; after all, the API stopped and the sink too.
 */
export function useAccountsApi(env: Record<string, string> = {}): AccountsApi {
  const logs = new LogCapture();
  let sink: StandaloneMailSink | undefined;
  let inbox: MailInbox | undefined;

  beforeAll(async () => {
    sink = await startStandaloneMailSink();
    inbox = new MailInbox(sink.inboxUrl);
  });

  const platform = useTestApi({ heartbeat: false, logDestination: logs }, () => ({ SMTP_URL: sink?.smtpUrl ?? '', ...env }));

  afterAll(async () => {
    await sink?.stop();
  });

  return {
    logs,
    platform,
    get inbox() {
      if (!inbox) throw new Error('the mail sink is not started: read its inbox in a hook or a test');
      return inbox;
    },
  };
}
