import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiParticulierApi, ApiParticulierEnvironment, CallModality } from '@fcplat/domain';

export const API_PARTICULIER_CALL_STATUSES = ['queued', 'dispatched', 'running', 'retrying', 'succeeded', 'failed'] as const;
export type ApiParticulierCallStatus = (typeof API_PARTICULIER_CALL_STATUSES)[number];

export const API_PARTICULIER_CALL_ORIGINS = ['citizen', 'batch', 'staff'] as const;
export type ApiParticulierCallOrigin = (typeof API_PARTICULIER_CALL_ORIGINS)[number];

/**
 * One API Particulier call (SR-30, SR-34, SR-36): the record of traceability and the source of
 * truth of the queue (a call is a row before any job names it). Its state machine, leases and
 * fair dispatch are the hand-tuned SQL of `@fcplat/api-particulier-calls` (ledger, dispatcher);
 * the API reads the call logs. Inputs are stored encrypted until the call ends, the useful part of
 * the answer encrypted until `result_expires_at`; both ciphertexts are left out of default selects.
 */
@Entity({ name: 'api_particulier_call' })
export class ApiParticulierCallEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Queue order (`GENERATED ALWAYS AS IDENTITY`): never written by the application. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The tenant's SIRET, sent as `recipient`. */
  @Column({ type: 'char', length: 14 })
  recipient!: string;

  @Column({ type: 'text' })
  environment!: ApiParticulierEnvironment;

  @Column({ type: 'text' })
  api!: ApiParticulierApi;

  @Column({ type: 'text' })
  modality!: CallModality;

  @Column({ type: 'text' })
  origin!: ApiParticulierCallOrigin;

  /** `citizen:<id>`, `account:<id>`: who asked (no name, no e-mail). */
  @Column({ name: 'triggered_by', type: 'text' })
  triggeredBy!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ name: 'batch_line', type: 'integer', nullable: true })
  batchLine!: number | null;

  @Column({ name: 'dossier_reference', type: 'text', nullable: true })
  dossierReference!: string | null;

  /** 0: someone is waiting (citizen); 1: background (batches). */
  @Column({ type: 'smallint', default: 1 })
  priority!: number;

  @Column({ type: 'text', default: 'queued' })
  status!: ApiParticulierCallStatus;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'upstream_code', type: 'text', nullable: true })
  upstreamCode!: string | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs!: number | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Times a 429 put the call back (not counted as attempts). */
  @Column({ name: 'rate_limited', type: 'integer', default: 0 })
  rateLimited!: number;

  /** Attempts nobody knows the upstream received (a timeout, a takeover of a running call): each may be a duplicate. */
  @Column({ name: 'ambiguous_attempts', type: 'integer', default: 0 })
  ambiguousAttempts!: number;

  /** A 200 whose optional blocks differed from the documented shape: paths and kinds, never values. */
  @Column({ name: 'schema_drift', type: 'text', nullable: true })
  schemaDrift!: string | null;

  @Column({ name: 'input_ciphertext', type: 'text', nullable: true, select: false })
  inputCiphertext!: string | null;

  @Column({ name: 'fc_token_expires_at', type: 'timestamptz', nullable: true })
  fcTokenExpiresAt!: Date | null;

  @Column({ name: 'result_ciphertext', type: 'text', nullable: true, select: false })
  resultCiphertext!: string | null;

  @Column({ name: 'result_expires_at', type: 'timestamptz', nullable: true })
  resultExpiresAt!: Date | null;

  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'now()' })
  queuedAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** The running worker's claim: another delivery may take the call over once it has passed. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
