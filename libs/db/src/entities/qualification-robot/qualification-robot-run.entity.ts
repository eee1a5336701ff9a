import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  trigger!: RobotRunTrigger;

  @TextColumn.nullable()
  reason!: string | null;

  @UuidColumn.nullable()
  requestedBy!: string | null;

  @TextColumn({ default: 'queued' })
  status!: RobotRunStatus;

  @IntegerColumn({ default: 0 })
  progressDone!: number;

  @IntegerColumn({ default: 0 })
  progressTotal!: number;

  @TextColumn.nullable()
  progressLabel!: string | null;

  @TextColumn.nullable()
  portalUrl!: string | null;

  /** The tenant's live FranceConnect environment when the run started. */
  @TextColumn.nullable()
  liveEnvironment!: FranceConnectEnvironment | null;

  /** The environment whose client the robot logged in with: never production. */
  @TextColumn.nullable()
  loginEnvironment!: Exclude<FranceConnectEnvironment, 'production'> | null;

  /** Items per verdict, once completed. */
  @JsonbColumn.nullable()
  counts!: Record<RobotVerdict, number> | null;

  @TextColumn.nullable()
  errorCode!: string | null;

  @TextColumn.nullable()
  errorMessage!: string | null;

  @TextColumn.nullable()
  workerId!: string | null;

  @IntegerColumn({ default: 0 })
  attempts!: number;

  @TimestampColumn.defaultNow()
  requestedAt!: Date;

  @TimestampColumn.nullable()
  startedAt!: Date | null;

  @TimestampColumn.nullable()
  heartbeatAt!: Date | null;

  @TimestampColumn.nullable()
  finishedAt!: Date | null;
}
