import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @UuidColumn()
  tenantId!: string;

  /** The tenant's SIRET, sent as `recipient`. */
  @Column({ type: 'char', length: 14 })
  recipient!: string;

  @TextColumn()
  environment!: ApiParticulierEnvironment;

  @TextColumn()
  api!: ApiParticulierApi;

  @TextColumn()
  modality!: CallModality;

  @TextColumn()
  origin!: ApiParticulierCallOrigin;

  /** `citizen:<id>`, `account:<id>`: who asked (no name, no e-mail). */
  @TextColumn()
  triggeredBy!: string;

  @UuidColumn.nullable()
  batchId!: string | null;

  @IntegerColumn.nullable()
  batchLine!: number | null;

  @TextColumn.nullable()
  dossierReference!: string | null;

  /** 0: someone is waiting (citizen); 1: background (batches). */
  @Column({ type: 'smallint', default: 1 })
  priority!: number;

  @TextColumn({ default: 'queued' })
  status!: ApiParticulierCallStatus;

  @IntegerColumn.nullable()
  httpStatus!: number | null;

  @TextColumn.nullable()
  errorCode!: string | null;

  @TextColumn.nullable()
  upstreamCode!: string | null;

  @IntegerColumn.nullable()
  latencyMs!: number | null;

  @IntegerColumn({ default: 0 })
  attempts!: number;

  /** Times a 429 put the call back (not counted as attempts). */
  @IntegerColumn({ default: 0 })
  rateLimited!: number;

  /** Attempts nobody knows the upstream received (a timeout, a takeover of a running call): each may be a duplicate. */
  @IntegerColumn({ default: 0 })
  ambiguousAttempts!: number;

  /** A 200 whose optional blocks differed from the documented shape: paths and kinds, never values. */
  @TextColumn.nullable()
  schemaDrift!: string | null;

  @TextColumn.nullable({ select: false })
  inputCiphertext!: string | null;

  @TimestampColumn.nullable()
  fcTokenExpiresAt!: Date | null;

  @TextColumn.nullable({ select: false })
  resultCiphertext!: string | null;

  @TimestampColumn.nullable()
  resultExpiresAt!: Date | null;

  @TimestampColumn.defaultNow()
  queuedAt!: Date;

  @TimestampColumn.nullable()
  dispatchedAt!: Date | null;

  @TimestampColumn.nullable()
  startedAt!: Date | null;

  /** The running worker's claim: another delivery may take the call over once it has passed. */
  @TimestampColumn.nullable()
  leaseUntil!: Date | null;

  @TimestampColumn.nullable()
  finishedAt!: Date | null;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;
}
