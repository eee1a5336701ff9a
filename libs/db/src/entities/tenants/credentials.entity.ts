import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const FRANCECONNECT_ENVIRONMENTS = ['sandbox', 'production', 'custom'] as const;
export type FranceConnectEnvironment = (typeof FRANCECONNECT_ENVIRONMENTS)[number];
export const FRANCECONNECT_SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type FranceConnectSigningAlgorithm = (typeof FRANCECONNECT_SIGNING_ALGORITHMS)[number];

export const API_PARTICULIER_ENVIRONMENTS = ['sandbox', 'staging', 'production', 'custom'] as const;
export type ApiParticulierEnvironment = (typeof API_PARTICULIER_ENVIRONMENTS)[number];

/**
 * A tenant's FranceConnect client for one environment. The client secret is stored encrypted by
 * the secret box only (context: tenant id, field `fc_client_secret:<environment>`), SR-21.
 */
@Entity({ name: 'franceconnect_credential' })
export class FranceConnectCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  environment!: FranceConnectEnvironment;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'client_secret_ciphertext', type: 'text', select: false })
  clientSecretCiphertext!: string;

  @Column({ name: 'signing_algorithm', type: 'text' })
  signingAlgorithm!: FranceConnectSigningAlgorithm;

  /** Only for `custom` (tests, staging): the issuer of a stand-in provider. */
  @Column({ name: 'issuer_url', type: 'text', nullable: true })
  issuerUrl!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}

/**
 * A tenant's API Particulier token for one environment, encrypted (context: tenant id, field
 * `apip_token:<environment>`), with its expiry (18 months after receipt unless stated).
 */
@Entity({ name: 'api_particulier_credential' })
export class ApiParticulierCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  environment!: ApiParticulierEnvironment;

  @Column({ name: 'token_ciphertext', type: 'text', select: false })
  tokenCiphertext!: string;

  /** Only for `custom`: base URL of a stand-in API. */
  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl!: string | null;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'received_on', type: 'date' })
  receivedOn!: string;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'expires_on', type: 'date' })
  expiresOn!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}
