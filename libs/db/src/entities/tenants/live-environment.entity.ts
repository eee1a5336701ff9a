import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AnyEnvironment, LiveEnvironmentProduct } from '@fcplat/domain';

/**
 * The environment a tenant's portal (FranceConnect) or calls (API Particulier) use, chosen by staff
 * (libs/domain/src/environments.ts). One row per tenant and product; no row = none chosen yet.
 * `chosenBy` null: set by the platform itself (migration of an existing tenant, demo seed).
 */
@Entity({ name: 'tenant_live_environment' })
export class LiveEnvironmentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  product!: LiveEnvironmentProduct;

  @Column({ type: 'text' })
  environment!: AnyEnvironment;

  @Column({ name: 'chosen_at', type: 'timestamptz', default: () => 'now()' })
  chosenAt!: Date;

  @Column({ name: 'chosen_by', type: 'uuid', nullable: true })
  chosenBy!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}

/** The last successful FranceConnect login of a tenant's portal per environment (written at each login callback). */
@Entity({ name: 'franceconnect_login_activity' })
export class FranceConnectLoginActivityEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  environment!: string;

  @Column({ name: 'last_login_at', type: 'timestamptz' })
  lastLoginAt!: Date;
}
