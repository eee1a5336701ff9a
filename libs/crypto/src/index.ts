/**
 * `@fcplat/crypto`: encryption at rest of tenant secrets (FranceConnect client secrets, API Particulier
 * tokens, webhook secrets), per SR-21 to SR-23 and engineering habit 6.
 *
 * - {@link Keyring} / {@link parseKeyring} / {@link keyringFromEnv}: the AES-256 keys from configuration
 *   (`SECRETS_KEYS="k2025a:<base64>,k2026a:<base64>"`, `SECRETS_ACTIVE_KEY=k2026a`), never from the
 *   database; they never show in logs, JSON or error messages.
 * - {@link SecretBox}: AES-256-GCM, stored as `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url), with
 *   (tenant id, field) as associated data so a ciphertext copied to another row does not decrypt.
 * - {@link mask}: how a secret is shown once written (`••••••••abcd`).
 *
 * The format and the zero-downtime rotation procedure are described in `secret-box.ts`. In short:
 * add the new key everywhere, then make it active, then re-encrypt every row for which
 * `needsRotation()` is true with `reencrypt()`, then remove the old key.
 */
export { KeyringConfigError, SecretDecryptionError } from './errors.js';
export type { KeyringConfigErrorCode, SecretDecryptionErrorCode } from './errors.js';
export { KEY_ID_PATTERN, KEY_LENGTH, Keyring, generateKey, keyringFromEnv, parseKeyring } from './keyring.js';
export type { KeyringDescription, KeyringKey } from './keyring.js';
export { SECRET_FORMAT_VERSION, SecretBox, keyIdOf, mask } from './secret-box.js';
export type { SecretContext } from './secret-box.js';
export * from './tokens.js';
