import { Entity } from 'typeorm';
import { JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import { SessionColumns } from '../session-columns.js';
import type { CitizenFranceConnectPurpose, FranceConnectEnvironment } from '@fcplat/domain';

export const CITIZEN_SESSION_SOURCES = ['password', 'franceconnect'] as const;
export type CitizenSessionSource = (typeof CITIZEN_SESSION_SOURCES)[number];

export { CITIZEN_FRANCECONNECT_PURPOSES, type CitizenFranceConnectPurpose } from '@fcplat/domain';

/**
 * A citizen's session on one tenant's portal (cookie `fcplat_citizen`; only the token's SHA-256
 * is stored). The `fc_*` columns describe the last FranceConnect authentication made in this
 * session; tokens are encrypted by the secret box.
 */
@Entity({ name: 'citizen_session' })
export class CitizenSessionEntity extends SessionColumns {
  @UuidColumn()
  tenantId!: string;

  @UuidColumn()
  citizenId!: string;

  @TextColumn()
  source!: CitizenSessionSource;

  @TextColumn.nullable()
  fcIssuer!: string | null;

  /** Environment of the FranceConnect client that authenticated (API Particulier's FranceConnect modality follows it). */
  @TextColumn.nullable()
  fcEnvironment!: FranceConnectEnvironment | null;

  @TextColumn.nullable()
  fcSub!: string | null;

  @TimestampColumn.nullable()
  fcAuthenticatedAt!: Date | null;

  @TextColumn.nullable({ select: false })
  fcIdTokenCiphertext!: string | null;

  @TextColumn.nullable({ select: false })
  fcAccessTokenCiphertext!: string | null;

  @TimestampColumn.nullable()
  fcAccessTokenExpiresAt!: Date | null;

  /** When the access token served its one data retrieval (it is removed then): « déjà servi », not « expiré ». */
  @TimestampColumn.nullable()
  fcAccessTokenUsedAt!: Date | null;

  @TextColumn.nullable()
  fcPurpose!: CitizenFranceConnectPurpose | null;

  @JsonbColumn({ default: () => "'[]'::jsonb" })
  fcScopes!: string[];

  @TimestampColumn.nullable()
  dataRetrievalConfirmedAt!: Date | null;
}
