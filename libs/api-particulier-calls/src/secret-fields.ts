/**
 * Secret-box field names of API Particulier data. They are part of each ciphertext's associated
 * data: renaming one makes what is stored undecryptable.
 */
export const CALL_INPUT_FIELD = 'api_particulier_call.input';
export const CALL_RESULT_FIELD = 'api_particulier_call.result';
/** The tenant's API Particulier token per environment (shared with the credentials vault). */
export const apiParticulierTokenField = (environment: string): string => `apip_token:${environment}`;
