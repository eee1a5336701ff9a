import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError, validationError } from '@fcplat/common';
import type { NotificationPage, NotificationPreferencesView, PutNotificationPreferences, UnreadCount } from '@fcplat/contract';
import { appendAudit } from '@fcplat/db';
import {
  NOTIFICATION_DIGEST_HOUR,
  NOTIFICATION_KIND_INFO,
  notificationKindsFor,
  type NotificationAudience,
  type NotificationKind,
  type NotificationMode,
} from '@fcplat/domain';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { isUuid, selectOne, selectRows } from '../database/raw-sql.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';

const NOT_FOUND = 'Notification introuvable.';

interface NotificationRow {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly tenant_id: string | null;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly created_at: Date;
  readonly read_at: Date | null;
}

const audienceOf = (actor: Actor): NotificationAudience => (actor.kind === 'staff' ? 'staff' : 'client');

/**
 * A person's own notifications and preferences (docs/notifications.md). Everything is keyed by the
 * caller's user id: nobody reads or marks another person's notifications (another's id is a 404).
 */
@Injectable()
export class NotificationsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async list(actor: Actor, query: { page: number; pageSize: number; unread?: 'true' | 'false' | undefined }): Promise<NotificationPage> {
    const manager = this.dataSource.manager;
    const unreadOnly = query.unread === 'true' ? 'AND read_at IS NULL' : '';
    const rows = await selectRows<NotificationRow>(
      manager,
      `SELECT id, kind, tenant_id, title, body, link, created_at, read_at FROM notification
        WHERE user_id = $1 ${unreadOnly} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [actor.userId, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const counts = await selectOne<{ total: number; unread: number }>(
      manager,
      `SELECT count(*) FILTER (WHERE true ${unreadOnly})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notification WHERE user_id = $1`,
      [actor.userId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        kindLabel: NOTIFICATION_KIND_INFO[r.kind].label,
        tenantId: r.tenant_id,
        title: r.title,
        body: r.body,
        link: r.link,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at ? r.read_at.toISOString() : null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total: counts?.total ?? 0,
      unread: counts?.unread ?? 0,
    };
  }

  async unread(actor: Actor): Promise<UnreadCount> {
    const row = await selectOne<{ n: number }>(this.dataSource.manager, `SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`, [actor.userId]);
    return { unread: row?.n ?? 0 };
  }

  async markRead(actor: Actor, notificationId: string): Promise<UnreadCount> {
    if (!isUuid(notificationId)) throw new AppError('NOT_FOUND', { detail: NOT_FOUND });
    const found = await selectOne<{ id: string }>(
      this.dataSource.manager,
      `WITH u AS (UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id) SELECT id FROM u`,
      [notificationId, actor.userId],
    );
    if (!found) throw new AppError('NOT_FOUND', { detail: NOT_FOUND });
    return this.unread(actor);
  }

  async markAllRead(actor: Actor): Promise<UnreadCount> {
    await this.dataSource.query(`UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [actor.userId]);
    return { unread: 0 };
  }

  async preferences(actor: Actor): Promise<NotificationPreferencesView> {
    const rows = await selectRows<{ kind: NotificationKind; mode: NotificationMode }>(this.dataSource.manager, `SELECT kind, mode FROM notification_preference WHERE user_id = $1`, [
      actor.userId,
    ]);
    const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
    return {
      items: notificationKindsFor(audienceOf(actor)).map((kind) => {
        const info = NOTIFICATION_KIND_INFO[kind];
        return { kind, label: info.label, description: info.description, mode: chosen.get(kind) ?? info.defaultMode, defaultMode: info.defaultMode };
      }),
      digestHour: NOTIFICATION_DIGEST_HOUR,
    };
  }

  /** Changes the modes given; a kind this person never receives is refused (a client administrator has no internal notes). */
  async putPreferences(actor: Actor, requestId: string | null, body: PutNotificationPreferences): Promise<NotificationPreferencesView> {
    const allowed = new Set(notificationKindsFor(audienceOf(actor)));
    const changes = Object.entries(body.modes).filter((entry): entry is [NotificationKind, NotificationMode] => entry[1] !== undefined);
    const refused = changes.filter(([kind]) => !allowed.has(kind));
    if (refused.length > 0) {
      throw validationError(refused.map(([kind]) => ({ path: `modes.${kind}`, message: `« ${NOTIFICATION_KIND_INFO[kind].label} » ne concerne pas votre compte.` })));
    }
    if (changes.length > 0) {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO notification_preference (user_id, kind, mode)
           SELECT $1, v.kind, v.mode FROM unnest($2::text[], $3::text[]) AS v(kind, mode)
           ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`,
          [actor.userId, changes.map(([kind]) => kind), changes.map(([, mode]) => mode)],
        );
        await appendAudit(manager, {
          actor: auditActorOf(actor),
          tenantId: actor.kind === 'client_admin' ? actor.tenantId : null,
          action: 'user.notification_preferences_updated',
          target: { type: 'user', id: actor.userId },
          requestId,
        });
      });
    }
    return this.preferences(actor);
  }
}
