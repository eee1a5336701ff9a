import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { NotificationKind } from '@fcplat/domain';

export type NotificationEmailMode = 'immediate' | 'digest';
/** `skipped`: no SMTP server configured when it was due. */
export type NotificationEmailStatus = 'pending' | 'sending' | 'sent' | 'skipped';

/**
 * One event for one person: what the console lists, and the state of its e-mail. Unique per
 * (event, person): a fan-out run twice writes nothing more, and the e-mail is claimed by one
 * UPDATE (`pending` → `sending`), so one worker sends it.
 */
@Entity({ name: 'notification' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId!: string;

  @UuidColumn()
  userId!: string;

  @UuidColumn.nullable()
  tenantId!: string | null;

  @TextColumn()
  kind!: NotificationKind;

  @TextColumn()
  title!: string;

  @TextColumn()
  body!: string;

  /** Path inside the console (after `/console/`). */
  @TextColumn.nullable()
  link!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.nullable()
  readAt!: Date | null;

  @TextColumn()
  emailMode!: NotificationEmailMode;

  @TextColumn({ default: 'pending' })
  emailStatus!: NotificationEmailStatus;

  @TimestampColumn.nullable()
  emailClaimedAt!: Date | null;

  @TimestampColumn.nullable()
  emailedAt!: Date | null;

  @UuidColumn.nullable()
  digestId!: string | null;
}
