import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { HabilitationChangeSource, HabilitationProduct, HabilitationState } from '@fcplat/domain';

export { HABILITATION_CHANGE_SOURCES, type HabilitationChangeSource } from '@fcplat/domain';

/** One state change of a habilitation. Append-only: the table refuses UPDATE by trigger. */
@Entity({ name: 'tenant_habilitation_history' })
export class HabilitationHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @UuidColumn()
  habilitationId!: string;

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  product!: HabilitationProduct;

  /** `null` when the habilitation was first recorded. */
  @TextColumn.nullable()
  fromState!: HabilitationState | null;

  @TextColumn()
  toState!: HabilitationState;

  @TextColumn()
  source!: HabilitationChangeSource;

  @TextColumn()
  actorType!: 'staff' | 'client_admin' | 'api_token' | 'system' | 'webhook';

  @TextColumn.nullable()
  actorId!: string | null;

  /** DataPass webhook event (`approve`, `refuse`...), for webhook changes. */
  @TextColumn.nullable({ name: 'datapass_event' })
  dataPassEvent!: string | null;

  @TextColumn.nullable({ name: 'datapass_id' })
  dataPassId!: string | null;

  @UuidColumn.nullable()
  webhookDeliveryId!: string | null;

  @TextColumn.nullable()
  note!: string | null;

  @TimestampColumn.defaultNow()
  occurredAt!: Date;
}
