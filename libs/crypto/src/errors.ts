/**
 * Errors of the secrets library, each with a stable machine-readable `code`.
 *
 * Messages name the problem (which variable, which entry, which key id, which tenant and field)
 * but never contain key material, a plaintext secret or a ciphertext (SR-23), so they are safe to
 * log and to show in a boot failure. No `cause` is attached: the underlying OpenSSL error says
 * nothing useful and we do not want to carry buffers around in error objects.
 */

export type SecretDecryptionErrorCode = 'SECRET_DECRYPTION_FAILED' | 'SECRET_KEY_UNKNOWN';

/**
 * A stored secret could not be turned back into plaintext.
 *
 * - `SECRET_KEY_UNKNOWN`: the ciphertext names a key id the keyring does not hold (a key was removed
 *   from `SECRETS_KEYS` before every row was re-encrypted, or the row comes from another environment).
 * - `SECRET_DECRYPTION_FAILED`: the value is not a well-formed ciphertext, or authentication failed:
 *   it was copied from another tenant or another field, it was tampered with, or the key under that
 *   id is not the one it was written with.
 *
 * Neither is retryable: the same input will fail the same way. At the HTTP edge it is an internal error.
 */
export class SecretDecryptionError extends Error {
  readonly code: SecretDecryptionErrorCode;
  /** Key id named by the ciphertext, when it could be read. */
  readonly keyId: string | undefined;

  constructor(code: SecretDecryptionErrorCode, message: string, keyId?: string) {
    super(message);
    this.name = 'SecretDecryptionError';
    this.code = code;
    this.keyId = keyId;
  }
}

export type KeyringConfigErrorCode = 'SECRETS_KEYRING_INVALID';

/**
 * The keyring configuration (`SECRETS_KEYS`, `SECRETS_ACTIVE_KEY`, or keys given in code) is invalid.
 * Raised at boot: the process must refuse to start (engineering habit 1).
 */
export class KeyringConfigError extends Error {
  readonly code: KeyringConfigErrorCode = 'SECRETS_KEYRING_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'KeyringConfigError';
  }
}
