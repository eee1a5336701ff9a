import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ type: 'text' })
  queue!: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  status!: JobOutcomeStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'worker_id', type: 'text' })
  workerId!: string;

  @Column({ name: 'enqueued_at', type: 'timestamptz' })
  enqueuedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;
}
