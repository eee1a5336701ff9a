import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  api!: ApiParticulierApi;

  @TextColumn()
  modality!: ApiParticulierBatchModality;

  /** The environment its calls go to (that of the tenant's live choice when it was uploaded). */
  @TextColumn.nullable()
  environment!: ApiParticulierEnvironment | null;

  @TextColumn()
  fileName!: string;

  @UuidColumn.nullable()
  createdBy!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @IntegerColumn()
  totalLines!: number;

  @IntegerColumn()
  acceptedLines!: number;

  @IntegerColumn()
  rejectedLines!: number;

  @JsonbColumn({ default: () => "'[]'::jsonb" })
  rejections!: ApiParticulierBatchRejection[];
}
