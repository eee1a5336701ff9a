import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @TextColumn()
  deliveryKey!: string;

  @TimestampColumn.defaultNow()
  receivedAt!: Date;

  /** `X-App-Environment` (sandbox, staging, production). */
  @TextColumn.nullable()
  appEnvironment!: string | null;

  @TextColumn.nullable()
  event!: string | null;

  @TextColumn.nullable()
  modelType!: string | null;

  @TextColumn.nullable({ name: 'datapass_id' })
  dataPassId!: string | null;

  @TextColumn.nullable()
  siret!: string | null;

  @TimestampColumn.nullable()
  firedAt!: Date | null;

  @UuidColumn.nullable()
  tenantId!: string | null;

  @TextColumn.nullable()
  product!: HabilitationProduct | null;

  @TextColumn()
  outcome!: WebhookOutcome;

  @TextColumn.nullable()
  detail!: string | null;
}
