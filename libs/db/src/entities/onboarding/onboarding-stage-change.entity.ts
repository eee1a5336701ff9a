import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

export const STAGE_CHANGE_KINDS = ['opened', 'advance', 'skip', 'rollback'] as const;
export type StageChangeKind = (typeof STAGE_CHANGE_KINDS)[number];

/** One move of an onboarding case (append-only: the database refuses UPDATE). */
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
}
