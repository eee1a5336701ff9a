import { Entity, PrimaryColumn } from 'typeorm';
import { TextColumn, TimestampColumn } from '../columns.js';
import type { NotificationKind, NotificationMode } from '@fcplat/domain';

/** A person's choice for one kind of notification; without a row, the kind's default applies. */
@Entity({ name: 'notification_preference' })
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'kind', type: 'text' })
  kind!: NotificationKind;

  @TextColumn()
  mode!: NotificationMode;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;
}
