import { Column, Entity, PrimaryColumn } from 'typeorm';

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

  @Column({ type: 'text' })
  status!: 'todo' | 'passed' | 'failed' | 'not_applicable';

  /** Who set the status: a person (`manual`) or the verification robot (`robot`). */
  @Column({ type: 'text' })
  source!: 'manual' | 'robot';

  @Column({ name: 'evidence_text', type: 'text', nullable: true })
  evidenceText!: string | null;

  @Column({ name: 'evidence_url', type: 'text', nullable: true })
  evidenceUrl!: string | null;

  @Column({ name: 'checked_by', type: 'uuid', nullable: true })
  checkedBy!: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
