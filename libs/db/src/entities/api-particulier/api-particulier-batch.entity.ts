import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiParticulierApi, ApiParticulierEnvironment } from '@fcplat/domain';

/** The call modalities of a CSV batch (a batch has no FranceConnect token). */
export type ApiParticulierBatchModality = 'pivot_identity' | 'ine';

/** A refused line of the file: its number, the dossier reference it gave, why. */
export interface ApiParticulierBatchRejection {
  readonly line: number;
  readonly reference: string | null;
  readonly reasons: readonly string[];
}

/**
 * An agent's uploaded CSV of dossiers (SR-36): one row per file, with its per-line report; each
 * accepted line becomes an `api_particulier_call` (`batch_id`, `batch_line`). Written by
 * `@fcplat/api-particulier-calls` (its batch service) with its own SQL, in the transaction that
 * records the calls; the API lists batches.
 */
@Entity({ name: 'api_particulier_batch' })
export class ApiParticulierBatchEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  api!: ApiParticulierApi;

  @Column({ type: 'text' })
  modality!: ApiParticulierBatchModality;

  /** The environment its calls go to (that of the tenant's live choice when it was uploaded). */
  @Column({ type: 'text', nullable: true })
  environment!: ApiParticulierEnvironment | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'total_lines', type: 'integer' })
  totalLines!: number;

  @Column({ name: 'accepted_lines', type: 'integer' })
  acceptedLines!: number;

  @Column({ name: 'rejected_lines', type: 'integer' })
  rejectedLines!: number;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  rejections!: ApiParticulierBatchRejection[];
}
