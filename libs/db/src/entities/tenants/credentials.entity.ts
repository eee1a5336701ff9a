import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  API_PARTICULIER_ENVIRONMENTS,
  FRANCECONNECT_ENVIRONMENTS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  type ApiParticulierEnvironment,
  type FranceConnectEnvironment,
  type FranceConnectSigningAlgorithm,
} from '@fcplat/domain';

// Environments and algorithms are domain facts (libs/domain/src/environments.ts); re-exported for the data layer's users.
export {
  API_PARTICULIER_ENVIRONMENTS,
  FRANCECONNECT_ENVIRONMENTS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  type ApiParticulierEnvironment,
  type FranceConnectEnvironment,
  type FranceConnectSigningAlgorithm,
};

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

  /** `custom`, or a stand-in for another environment on test platforms (ALLOW_CUSTOM_ENDPOINTS): the issuer of a stand-in provider. */
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

  /** `custom`, or a stand-in for another environment on test platforms (ALLOW_CUSTOM_ENDPOINTS): base URL of a stand-in API. */
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
