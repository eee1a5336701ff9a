import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HabilitationProduct } from '@fcplat/domain';

export const WEBHOOK_OUTCOMES = ['applied', 'no_change', 'stale', 'unknown_tenant', 'unsupported_model', 'test_ping', 'rejected_payload'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/**
 * One DataPass webhook delivery whose signature was valid. `delivery_key` (SHA-256 of the raw
 * body) is unique: a replayed delivery finds its row and changes nothing (SR-27).
 */
@Entity({ name: 'datapass_webhook_delivery' })
export class DataPassWebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'delivery_key', type: 'text' })
  deliveryKey!: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  /** `X-App-Environment` (sandbox, staging, production). */
  @Column({ name: 'app_environment', type: 'text', nullable: true })
  appEnvironment!: string | null;

  @Column({ type: 'text', nullable: true })
  event!: string | null;

  @Column({ name: 'model_type', type: 'text', nullable: true })
  modelType!: string | null;

  @Column({ name: 'datapass_id', type: 'text', nullable: true })
  dataPassId!: string | null;

  @Column({ type: 'text', nullable: true })
  siret!: string | null;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text', nullable: true })
  product!: HabilitationProduct | null;

  @Column({ type: 'text' })
  outcome!: WebhookOutcome;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
