import { Entity, PrimaryColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

/**
 * The recorded status of one qualification prerequisite (`FC-01` … `FC-22`) for one tenant.
 * Items never checked have no row (they count as `todo`).
 */
@Entity({ name: 'qualification_check' })
export class QualificationCheckEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ name: 'item_id', type: 'text' })
  itemId!: string;

  @TextColumn()
  status!: 'todo' | 'passed' | 'failed' | 'not_applicable';

  /** Who set the status: a person (`manual`) or the verification robot (`robot`). */
  @TextColumn()
  source!: 'manual' | 'robot';

  @TextColumn.nullable()
  evidenceText!: string | null;

  @TextColumn.nullable()
  evidenceUrl!: string | null;

  @UuidColumn.nullable()
  checkedBy!: string | null;

  @TimestampColumn()
  checkedAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;
}
