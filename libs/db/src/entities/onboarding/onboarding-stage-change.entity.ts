import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STAGE_CHANGE_KINDS = ['opened', 'advance', 'skip', 'rollback'] as const;
export type StageChangeKind = (typeof STAGE_CHANGE_KINDS)[number];

/** One move of an onboarding case (append-only: the database refuses UPDATE). */
@Entity({ name: 'onboarding_stage_change' })
export class OnboardingStageChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'from_stage', type: 'text', nullable: true })
  fromStage!: string | null;

  @Column({ name: 'to_stage', type: 'text' })
  toStage!: string;

  @Column({ type: 'text' })
  kind!: StageChangeKind;

  /** Stages jumped over by a `skip`. */
  @Column({ name: 'passed_through', type: 'text', array: true, default: () => "'{}'" })
  passedThrough!: string[];

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'ds_file_number', type: 'text', nullable: true })
  dsFileNumber!: string | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'staff' | 'client_admin' | 'api_token' | 'system';

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
