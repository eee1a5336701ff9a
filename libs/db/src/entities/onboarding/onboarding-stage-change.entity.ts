import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BooleanColumn, DateColumn, IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

export const STAGE_CHANGE_KINDS = ['opened', 'advance', 'skip', 'rollback'] as const;
export type StageChangeKind = (typeof STAGE_CHANGE_KINDS)[number];

/**
 * One move of an onboarding case (append-only: the database refuses UPDATE, except filling the
 * `stay*` measures of the stay it ends once, see migration 1765900000000-pipeline-analytics).
 */
@Entity({ name: 'onboarding_stage_change' })
export class OnboardingStageChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @TextColumn.nullable()
  fromStage!: string | null;

  @TextColumn()
  toStage!: string;

  @TextColumn()
  kind!: StageChangeKind;

  /** Stages jumped over by a `skip`. */
  @Column({ name: 'passed_through', type: 'text', array: true, default: () => "'{}'" })
  passedThrough!: string[];

  @TextColumn.nullable()
  reason!: string | null;

  @TextColumn.nullable()
  dsFileNumber!: string | null;

  @TextColumn()
  actorType!: 'staff' | 'client_admin' | 'api_token' | 'system';

  @TextColumn.nullable()
  actorId!: string | null;

  @TextColumn.nullable()
  requestId!: string | null;

  @TimestampColumn.defaultNow()
  occurredAt!: Date;

  /** The stay this change ends (at `fromStage`): when it started, NULL until measured. */
  @TimestampColumn.nullable()
  stayStartedAt!: Date | null;

  /** Its length in French working days (domain's `workingDaysBetween`), NULL until measured. */
  @IntegerColumn.nullable()
  stayWorkingDays!: number | null;

  /** Its first overdue Paris date (NULL without SLA or until measured). */
  @DateColumn.nullable()
  stayOverdueOn!: string | null;

  /** Left within the SLA (NULL without SLA or until measured). */
  @BooleanColumn.nullable()
  stayMet!: boolean | null;

  /** The case's assignee when the stay was measured (NULL for none or until measured): the per-assignee analytics. */
  @UuidColumn.nullable()
  stayAssigneeId!: string | null;
}
