import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { NotificationKind } from '@fcplat/domain';

/**
 * The notifications' outbox: one event, written in the transaction of the change it describes
 * (`recordNotificationEvent`), then fanned out to the people concerned by the worker. `dedupKey`
 * (unique) names an event that must exist once (a case overdue at a stage, a token's 14-day warning).
 */
@Entity({ name: 'notification_event' })
export class NotificationEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @TextColumn()
  kind!: NotificationKind;

  @UuidColumn.nullable()
  tenantId!: string | null;

  /** The person whose action caused it (never notified of their own action). */
  @UuidColumn.nullable()
  actorId!: string | null;

  @TextColumn.nullable()
  dedupKey!: string | null;

  /** The kind's `NotificationEventData` (ids and codes, never a secret nor a citizen's data). */
  @JsonbColumn({ default: () => "'{}'::jsonb" })
  data!: Record<string, unknown>;

  @TimestampColumn.defaultNow()
  occurredAt!: Date;

  /** Last time the relay put it on the queue (null: never yet). */
  @TimestampColumn.nullable()
  enqueuedAt!: Date | null;

  @IntegerColumn({ default: 0 })
  enqueueCount!: number;

  /** When its notifications were written and its immediate e-mails sent. */
  @TimestampColumn.nullable()
  processedAt!: Date | null;
}
