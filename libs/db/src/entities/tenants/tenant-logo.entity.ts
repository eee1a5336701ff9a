import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LogoContentType } from '@fcplat/domain';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

/**
 * A tenant's portal logo uploaded to the platform (one per tenant): PNG, or SVG already sanitised
 * by the API, at most 200 KiB. The image is left out of default selects.
 */
@Entity({ name: 'tenant_logo' })
export class TenantLogoEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @TextColumn()
  contentType!: LogoContentType;

  @Column({ type: 'bytea', select: false })
  content!: Buffer;

  @TextColumn()
  sha256!: string;

  @UuidColumn({ nullable: true })
  uploadedBy!: string | null;

  @TimestampColumn.defaultNow()
  uploadedAt!: Date;
}
