import { Entity, PrimaryColumn } from 'typeorm';
import { IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @TextColumn()
  environment!: AnyEnvironment;

  @TimestampColumn.defaultNow()
  chosenAt!: Date;

  @UuidColumn.nullable()
  chosenBy!: string | null;

  @TextColumn.nullable()
  reason!: string | null;

  @IntegerColumn({ default: 1 })
  version!: number;
}

/** The last successful FranceConnect login of a tenant's portal per environment (written at each login callback). */
@Entity({ name: 'franceconnect_login_activity' })
export class FranceConnectLoginActivityEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  environment!: string;

  @TimestampColumn()
  lastLoginAt!: Date;
}
