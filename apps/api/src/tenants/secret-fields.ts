import type { FranceConnectEnvironment } from '@fcplat/db';

/** The API Particulier token's field is shared with the worker, which decrypts it for each call. */
export { apiParticulierTokenField } from '@fcplat/api-particulier-calls';

/**
 * Secret-box field names of the tenants area. They are part of each ciphertext's associated
 * data: renaming one makes every stored secret of that kind undecryptable.
 */
export const franceConnectSecretField = (environment: FranceConnectEnvironment): string => `fc_client_secret:${environment}`;
