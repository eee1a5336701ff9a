import { Column, Entity } from 'typeorm';
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
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId!: string;

  @Column({ type: 'text' })
  source!: CitizenSessionSource;

  @Column({ name: 'fc_issuer', type: 'text', nullable: true })
  fcIssuer!: string | null;

  /** Environment of the FranceConnect client that authenticated (API Particulier's FranceConnect modality follows it). */
  @Column({ name: 'fc_environment', type: 'text', nullable: true })
  fcEnvironment!: FranceConnectEnvironment | null;

  @Column({ name: 'fc_sub', type: 'text', nullable: true })
  fcSub!: string | null;

  @Column({ name: 'fc_authenticated_at', type: 'timestamptz', nullable: true })
  fcAuthenticatedAt!: Date | null;

  @Column({ name: 'fc_id_token_ciphertext', type: 'text', nullable: true, select: false })
  fcIdTokenCiphertext!: string | null;

  @Column({ name: 'fc_access_token_ciphertext', type: 'text', nullable: true, select: false })
  fcAccessTokenCiphertext!: string | null;

  @Column({ name: 'fc_access_token_expires_at', type: 'timestamptz', nullable: true })
  fcAccessTokenExpiresAt!: Date | null;

  /** When the access token served its one data retrieval (it is removed then): « déjà servi », not « expiré ». */
  @Column({ name: 'fc_access_token_used_at', type: 'timestamptz', nullable: true })
  fcAccessTokenUsedAt!: Date | null;

  @Column({ name: 'fc_purpose', type: 'text', nullable: true })
  fcPurpose!: CitizenFranceConnectPurpose | null;

  @Column({ name: 'fc_scopes', type: 'jsonb', default: () => "'[]'::jsonb" })
  fcScopes!: string[];

  @Column({ name: 'data_retrieval_confirmed_at', type: 'timestamptz', nullable: true })
  dataRetrievalConfirmedAt!: Date | null;
}
