import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FranceConnectEnvironment, RobotRunStatus, RobotRunTrigger, RobotVerdict } from '@fcplat/domain';

/**
 * One verification of one tenant's portal by the qualification robot (docs/qualification-robot.md):
 * why it was asked (staff, a change, the schedule), its progress, its outcome. At most one run
 * waits per tenant (partial unique index), so a burst of changes asks for one run. Written by
 * `@fcplat/qualification-runs` (requests, processor, sweep) with its own SQL; the API shows runs.
 */
@Entity({ name: 'qualification_robot_run' })
export class QualificationRobotRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  trigger!: RobotRunTrigger;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'text', default: 'queued' })
  status!: RobotRunStatus;

  @Column({ name: 'progress_done', type: 'integer', default: 0 })
  progressDone!: number;

  @Column({ name: 'progress_total', type: 'integer', default: 0 })
  progressTotal!: number;

  @Column({ name: 'progress_label', type: 'text', nullable: true })
  progressLabel!: string | null;

  @Column({ name: 'portal_url', type: 'text', nullable: true })
  portalUrl!: string | null;

  /** The tenant's live FranceConnect environment when the run started. */
  @Column({ name: 'live_environment', type: 'text', nullable: true })
  liveEnvironment!: FranceConnectEnvironment | null;

  /** The environment whose client the robot logged in with: never production. */
  @Column({ name: 'login_environment', type: 'text', nullable: true })
  loginEnvironment!: Exclude<FranceConnectEnvironment, 'production'> | null;

  /** Items per verdict, once completed. */
  @Column({ type: 'jsonb', nullable: true })
  counts!: Record<RobotVerdict, number> | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
