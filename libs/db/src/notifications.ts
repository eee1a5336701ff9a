import type { EntityManager } from 'typeorm';
import type { AnyNotificationEvent } from '@fcplat/domain';
import { NotificationEventEntity } from './entities/notifications/notification-event.entity.js';

export type NotificationEventInput = AnyNotificationEvent & {
  readonly tenantId: string | null;
  /** The person whose action it is: not notified of it. */
  readonly actorId?: string | null;
  /** When the event must exist once (found by a periodic scan): a second record with the same key is a no-op. */
  readonly dedupKey?: string;
};

/**
 * Records a notification event in the outbox with the caller's EntityManager, like
 * `appendAudit`: it commits or rolls back with the change it describes, and the worker's relay
 * takes it from there (docs/notifications.md). Returns the event's id, or null when `dedupKey`
 * was already recorded.
 */
export async function recordNotificationEvent(manager: EntityManager, event: NotificationEventInput): Promise<string | null> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(NotificationEventEntity)
    .values({
      kind: event.kind,
      tenantId: event.tenantId,
      actorId: event.actorId ?? null,
      dedupKey: event.dedupKey ?? null,
      data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
    } as object)
    .orIgnore()
    .returning(['id'])
    .execute();
  const row = (result.raw as { id?: string | number }[])[0];
  return row?.id === undefined ? null : String(row.id);
}
