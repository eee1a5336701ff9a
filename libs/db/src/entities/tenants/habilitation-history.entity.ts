import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HabilitationChangeSource, HabilitationProduct, HabilitationState } from '@fcplat/domain';

export { HABILITATION_CHANGE_SOURCES, type HabilitationChangeSource } from '@fcplat/domain';

/** One state change of a habilitation. Append-only: the table refuses UPDATE by trigger. */
@Entity({ name: 'tenant_habilitation_history' })
export class HabilitationHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'habilitation_id', type: 'uuid' })
  habilitationId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  product!: HabilitationProduct;

  /** `null` when the habilitation was first recorded. */
  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState!: HabilitationState | null;

  @Column({ name: 'to_state', type: 'text' })
  toState!: HabilitationState;

  @Column({ type: 'text' })
  source!: HabilitationChangeSource;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'staff' | 'client_admin' | 'api_token' | 'system' | 'webhook';

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  /** DataPass webhook event (`approve`, `refuse`...), for webhook changes. */
  @Column({ name: 'datapass_event', type: 'text', nullable: true })
  dataPassEvent!: string | null;

  @Column({ name: 'datapass_id', type: 'text', nullable: true })
  dataPassId!: string | null;

  @Column({ name: 'webhook_delivery_id', type: 'uuid', nullable: true })
  webhookDeliveryId!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
