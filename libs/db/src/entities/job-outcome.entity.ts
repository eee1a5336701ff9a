import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from './columns.js';

export const JOB_OUTCOME_STATUSES = ['completed', 'failed'] as const;
export type JobOutcomeStatus = (typeof JOB_OUTCOME_STATUSES)[number];

/**
 * The durable record of what the queue did (engineering habit 3: Redis is not the record).
 * One row per (queue, job id): a job delivered twice updates its row instead of adding one.
 */
@Entity({ name: 'job_outcome' })
@Index('job_outcome_queue_job_uq', ['queue', 'jobId'], { unique: true })
@Index('job_outcome_name_finished_idx', ['jobName', 'finishedAt'])
export class JobOutcomeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @TextColumn()
  queue!: string;

  @TextColumn()
  jobId!: string;

  @TextColumn()
  jobName!: string;

  @UuidColumn.nullable()
  tenantId!: string | null;

  @TextColumn()
  status!: JobOutcomeStatus;

  @IntegerColumn()
  attempts!: number;

  @TextColumn.nullable()
  errorCode!: string | null;

  @TextColumn()
  workerId!: string;

  @TimestampColumn()
  enqueuedAt!: Date;

  @TimestampColumn()
  finishedAt!: Date;
}
