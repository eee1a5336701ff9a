import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

/** One person's daily e-mail of digest-mode notifications: one per (person, Paris day). */
@Entity({ name: 'notification_digest' })
export class NotificationDigestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  userId!: string;

  /** Paris calendar day (`YYYY-MM-DD`). */
  @DateColumn()
  digestOn!: string;

  @TextColumn({ default: 'pending' })
  status!: 'pending' | 'sending' | 'sent' | 'skipped';

  @TimestampColumn.nullable()
  claimedAt!: Date | null;

  @TimestampColumn.nullable()
  sentAt!: Date | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;
}
