import type { ApiParticulierEnvironment, FranceConnectEnvironment } from '@fcplat/db';

/**
 * Secret-box field names of the tenants area. They are part of each ciphertext's associated
 * data: renaming one makes every stored secret of that kind undecryptable.
 */
export const franceConnectSecretField = (environment: FranceConnectEnvironment): string => `fc_client_secret:${environment}`;
export const apiParticulierTokenField = (environment: ApiParticulierEnvironment): string => `apip_token:${environment}`;
