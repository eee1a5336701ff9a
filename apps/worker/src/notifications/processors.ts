/**
 * The notification jobs. Both are safe to run twice, or on two workers at once: the unique
 * (event, person) key keeps one notification per person, and an e-mail is sent only by the run
 * whose UPDATE claimed it (`pending` → `sending`). A claim older than {@link CLAIM_STALE_MINUTES}
 * (a worker that died mid-send) may be taken again: the one case where a person could get an
 * e-mail twice is a worker dying between the SMTP server's acceptance and the `sent` mark.
 */
import type { DataSource } from 'typeorm';
import type { JobProcessor } from '@fcplat/queue';
import type { NotificationKind } from '@fcplat/domain';
import { fanOut, type EventRow } from './fan-out.js';
import { digestMail, immediateMail } from './mails.js';
import type { MailSender } from './mailer.js';

export const CLAIM_STALE_MINUTES = 10;

export interface NotificationSettings {
  /** `PUBLIC_URL`: where the console's links point. */
  readonly publicUrl: string;
}

interface ClaimedMail {
  readonly id: string;
  readonly email: string;
  readonly display_name: string;
  readonly kind: NotificationKind;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
}

export class NotificationEventProcessor implements JobProcessor<'notifications.event'> {
  readonly name = 'notifications.event' as const;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: MailSender,
    private readonly settings: NotificationSettings,
  ) {}

  async process(payload: { eventId: string }): Promise<{ outcome: 'done' | 'missing'; notified: number; emailed: number }> {
    const notified = await this.dataSource.transaction(async (manager) => {
      const [event] = (await manager.query(
        `SELECT e.id::text AS id, e.kind, e.tenant_id, e.actor_id, e.data, t.name AS tenant_name
           FROM notification_event e LEFT JOIN tenant t ON t.id = e.tenant_id WHERE e.id = $1`,
        [payload.eventId],
      )) as EventRow[];
      return event ? fanOut(manager, event) : null;
    });
    if (notified === null) return { outcome: 'missing', notified: 0, emailed: 0 };
    const emailed = await this.sendImmediate(payload.eventId);
    // Processed once every immediate e-mail is out (the relay puts an unprocessed event back on the queue).
    await this.dataSource.query(
      `UPDATE notification_event SET processed_at = now()
        WHERE id = $1 AND processed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM notification WHERE event_id = $1 AND email_mode = 'immediate' AND email_status IN ('pending', 'sending'))`,
      [payload.eventId],
    );
    return { outcome: 'done', notified, emailed };
  }

  /** Claims the event's immediate e-mails not sent yet, sends each, marks each sent. */
  private async sendImmediate(eventId: string): Promise<number> {
    if (!this.mailer.configured) {
      await this.dataSource.query(`UPDATE notification SET email_status = 'skipped' WHERE event_id = $1 AND email_mode = 'immediate' AND email_status = 'pending'`, [eventId]);
      return 0;
    }
    const claimed = rowsOf<ClaimedMail>(
      await this.dataSource.query(
        `UPDATE notification n SET email_status = 'sending', email_claimed_at = now()
           FROM app_user u
          WHERE n.event_id = $1 AND u.id = n.user_id AND n.email_mode = 'immediate'
            AND (n.email_status = 'pending' OR (n.email_status = 'sending' AND n.email_claimed_at < now() - make_interval(mins => $2)))
          RETURNING n.id, u.email, u.display_name, n.kind, n.title, n.body, n.link`,
        [eventId, CLAIM_STALE_MINUTES],
      ),
    );
    let sent = 0;
    try {
      for (const mail of claimed) {
        await this.mailer.send(immediateMail({ to: mail.email, displayName: mail.display_name, item: mail, publicUrl: this.settings.publicUrl }));
        await this.dataSource.query(`UPDATE notification SET email_status = 'sent', emailed_at = now() WHERE id = $1`, [mail.id]);
        sent += 1;
      }
    } catch (error) {
      // Those not sent go back to `pending` for the job's next attempt.
      const unsent = claimed.slice(sent).map((m) => m.id);
      await this.dataSource.query(`UPDATE notification SET email_status = 'pending', email_claimed_at = NULL WHERE id = ANY($1::uuid[]) AND email_status = 'sending'`, [unsent]);
      throw error;
    }
    return sent;
  }
}

export class NotificationDigestProcessor implements JobProcessor<'notifications.digest'> {
  readonly name = 'notifications.digest' as const;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: MailSender,
    private readonly settings: NotificationSettings,
  ) {}

  async process(payload: { digestId: string }): Promise<{ outcome: 'sent' | 'skipped'; items: number }> {
    if (!this.mailer.configured) {
      await this.dataSource.query(`UPDATE notification_digest SET status = 'skipped' WHERE id = $1 AND status = 'pending'`, [payload.digestId]);
      await this.dataSource.query(`UPDATE notification SET email_status = 'skipped' WHERE digest_id = $1 AND email_status = 'pending'`, [payload.digestId]);
      return { outcome: 'skipped', items: 0 };
    }
    const [digest] = rowsOf<{ digest_on: string; email: string; display_name: string }>(
      await this.dataSource.query(
        `UPDATE notification_digest d SET status = 'sending', claimed_at = now()
           FROM app_user u
          WHERE d.id = $1 AND u.id = d.user_id
            AND (d.status = 'pending' OR (d.status = 'sending' AND d.claimed_at < now() - make_interval(mins => $2)))
          RETURNING d.digest_on::text AS digest_on, u.email, u.display_name`,
        [payload.digestId, CLAIM_STALE_MINUTES],
      ),
    );
    if (!digest) return { outcome: 'skipped', items: 0 };
    const items = (await this.dataSource.query(`SELECT kind, title, body, link FROM notification WHERE digest_id = $1 ORDER BY created_at, id`, [payload.digestId])) as Array<{
      kind: NotificationKind;
      title: string;
      body: string;
      link: string | null;
    }>;
    if (items.length === 0) {
      await this.dataSource.query(`UPDATE notification_digest SET status = 'skipped' WHERE id = $1`, [payload.digestId]);
      return { outcome: 'skipped', items: 0 };
    }
    try {
      await this.mailer.send(digestMail({ to: digest.email, displayName: digest.display_name, day: digest.digest_on, items, publicUrl: this.settings.publicUrl }));
    } catch (error) {
      await this.dataSource.query(`UPDATE notification_digest SET status = 'pending', claimed_at = NULL WHERE id = $1 AND status = 'sending'`, [payload.digestId]);
      throw error;
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE notification_digest SET status = 'sent', sent_at = now() WHERE id = $1`, [payload.digestId]);
      await manager.query(`UPDATE notification SET email_status = 'sent', emailed_at = now() WHERE digest_id = $1`, [payload.digestId]);
    });
    return { outcome: 'sent', items: items.length };
  }
}

/** Rows of an UPDATE … RETURNING through TypeORM's pg driver, which answers `[rows, count]`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}
