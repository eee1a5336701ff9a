import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { HabilitationProduct, HabilitationState } from '@fcplat/domain';

/**
 * One DataPass habilitation of a tenant for one product (API Particulier or FranceConnect): at
 * most one per (tenant, product). States and transitions follow @fcplat/domain `datapass.ts`.
 */
@Entity({ name: 'tenant_habilitation' })
export class HabilitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  product!: HabilitationProduct;

  @TextColumn()
  state!: HabilitationState;

  /** DataPass request number (`data.id` of the webhooks). */
  @TextColumn.nullable({ name: 'datapass_id' })
  dataPassId!: string | null;

  /** DataPass public id (`data.public_id`), when known. */
  @TextColumn.nullable({ name: 'datapass_public_id' })
  dataPassPublicId!: string | null;

  /** Granted scopes (DataPass `data.scopes`). */
  @JsonbColumn({ default: () => "'[]'::jsonb" })
  scopes!: string[];

  /** Call modalities (API Particulier only: `pivot_identity`, `ine`, `france_connect`). */
  @JsonbColumn({ default: () => "'[]'::jsonb" })
  modalities!: string[];

  @TimestampColumn.nullable()
  submittedAt!: Date | null;

  @TimestampColumn.nullable()
  changesRequestedAt!: Date | null;

  @TimestampColumn.nullable()
  validatedAt!: Date | null;

  @TimestampColumn.nullable()
  refusedAt!: Date | null;

  @TimestampColumn.nullable()
  revokedAt!: Date | null;

  @TimestampColumn.nullable()
  archivedAt!: Date | null;

  /** `fired_at` of the last webhook applied: older deliveries arriving late do not roll back. */
  @TimestampColumn.nullable()
  lastWebhookFiredAt!: Date | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;

  @IntegerColumn({ default: 1 })
  version!: number;
}
