import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
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

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  environment!: FranceConnectEnvironment;

  @TextColumn()
  clientId!: string;

  @TextColumn({ select: false })
  clientSecretCiphertext!: string;

  @TextColumn()
  signingAlgorithm!: FranceConnectSigningAlgorithm;

  /** `custom`, or a stand-in for another environment on test platforms (ALLOW_CUSTOM_ENDPOINTS): the issuer of a stand-in provider. */
  @TextColumn.nullable()
  issuerUrl!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;

  @IntegerColumn({ default: 1 })
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

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  environment!: ApiParticulierEnvironment;

  @TextColumn({ select: false })
  tokenCiphertext!: string;

  /** `custom`, or a stand-in for another environment on test platforms (ALLOW_CUSTOM_ENDPOINTS): base URL of a stand-in API. */
  @TextColumn.nullable()
  baseUrl!: string | null;

  /** `YYYY-MM-DD`. */
  @DateColumn()
  receivedOn!: string;

  /** `YYYY-MM-DD`. */
  @DateColumn()
  expiresOn!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;

  @IntegerColumn({ default: 1 })
  version!: number;
}
