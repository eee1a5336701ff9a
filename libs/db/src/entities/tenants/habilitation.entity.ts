import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HabilitationProduct, HabilitationState } from '@fcplat/domain';

/**
 * One DataPass habilitation of a tenant for one product (API Particulier or FranceConnect): at
 * most one per (tenant, product). States and transitions follow @fcplat/domain `datapass.ts`.
 */
@Entity({ name: 'tenant_habilitation' })
export class HabilitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  product!: HabilitationProduct;

  @Column({ type: 'text' })
  state!: HabilitationState;

  /** DataPass request number (`data.id` of the webhooks). */
  @Column({ name: 'datapass_id', type: 'text', nullable: true })
  dataPassId!: string | null;

  /** DataPass public id (`data.public_id`), when known. */
  @Column({ name: 'datapass_public_id', type: 'text', nullable: true })
  dataPassPublicId!: string | null;

  /** Granted scopes (DataPass `data.scopes`). */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  scopes!: string[];

  /** Call modalities (API Particulier only: `pivot_identity`, `ine`, `france_connect`). */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  modalities!: string[];

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'changes_requested_at', type: 'timestamptz', nullable: true })
  changesRequestedAt!: Date | null;

  @Column({ name: 'validated_at', type: 'timestamptz', nullable: true })
  validatedAt!: Date | null;

  @Column({ name: 'refused_at', type: 'timestamptz', nullable: true })
  refusedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  /** `fired_at` of the last webhook applied: older deliveries arriving late do not roll back. */
  @Column({ name: 'last_webhook_fired_at', type: 'timestamptz', nullable: true })
  lastWebhookFiredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}
