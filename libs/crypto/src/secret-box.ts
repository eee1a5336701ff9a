/**
 * Encryption at rest of tenant secrets (SR-21, SR-22; engineering habit 6).
 *
 * ## Format
 *
 * A ciphertext is one ASCII string that fits a `text` column:
 *
 * ```
 * v1.<keyId>.<iv>.<ciphertext>.<tag>
 * ```
 *
 * - `v1`: format version. Version 1 is AES-256-GCM with a 12-byte random IV and a 16-byte tag.
 * - `<keyId>`: id of the keyring key it was written with (`[a-z0-9_-]{1,32}`), in clear so that the
 *   rotation command (and a plain SQL `LIKE 'v1.k2025a.%'`) can find the rows still under an old key.
 * - `<iv>`, `<ciphertext>`, `<tag>`: unpadded base64url (RFC 4648 §5), in canonical form. The
 *   ciphertext part is as long as the UTF-8 plaintext (empty for an empty secret).
 *
 * The associated data, authenticated but not stored, is the length-prefixed encoding of the tuple
 * `("fcplat/secret-box", "v1", keyId, tenantId, field)`: each element as a 4-byte big-endian byte
 * length followed by its UTF-8 bytes. So a ciphertext only decrypts for the tenant and the column it
 * was written for (a row copied to another tenant, or a client secret pasted into the webhook secret
 * column, fails), `('a', 'bc')` and `('ab', 'c')` are different contexts, and the version and key id in
 * the header are authenticated too.
 *
 * ## Rotation procedure (SR-22), without downtime
 *
 * 1. Generate a key (`generateKey()`) and **add** it to `SECRETS_KEYS` on every API and worker
 *    instance, leaving `SECRETS_ACTIVE_KEY` on the old key. Deploy. Every instance can now read both.
 * 2. Set `SECRETS_ACTIVE_KEY` to the new id and deploy. New writes use the new key; old rows still
 *    decrypt with the old one. (Doing 1 and 2 in one step would let an instance that has not restarted
 *    yet meet a ciphertext under a key it does not know.)
 * 3. Run the re-encryption command: for every secret column, for every row where
 *    {@link SecretBox.needsRotation} is true, write back {@link SecretBox.reencrypt}, one row per
 *    transaction, updating only if the column still holds the value that was read (so a concurrent
 *    write by the API is not overwritten). The command is idempotent: run it again until it reports 0.
 * 4. Check that no row names the old key id any more ({@link keyIdOf}), then remove the old key from
 *    `SECRETS_KEYS` and deploy. A row that was missed now fails with `SECRET_KEY_UNKNOWN`, loudly.
 *
 * A key suspected to be compromised follows the same steps, as fast as possible; the database dumps
 * taken before step 4 remain readable with the old key, so that key must be destroyed with them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretDecryptionError } from './errors.js';
import { KEY_ID_PATTERN, keyObjectOf, type Keyring } from './keyring.js';

/** Current (and only) format version. */
export const SECRET_FORMAT_VERSION = 'v1';

const ALGORITHM = 'aes-256-gcm';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const AAD_LABEL = 'fcplat/secret-box';
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Where a secret lives: the tenant that owns it and the column (or logical field) that holds it,
 * e.g. `{ tenantId, field: 'franceconnect.production.client_secret' }`. Use a stable name: changing
 * it makes existing ciphertexts undecryptable.
 */
export interface SecretContext {
  readonly tenantId: string;
  readonly field: string;
}

interface ParsedCiphertext {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly body: Buffer;
  readonly tag: Buffer;
}

/**
 * Encrypts and decrypts tenant secrets with a {@link Keyring}. Stateless apart from the keyring, safe
 * to share as a singleton.
 */
export class SecretBox {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** Id of the key new ciphertexts are written with. */
  get activeKeyId(): string {
    return this.#keyring.activeKeyId;
  }

  /**
   * Encrypts `plaintext` for `context` under the active key. Two calls with the same input give
   * different ciphertexts (random IV).
   *
   * @throws TypeError when the plaintext is not a string or holds an unpaired surrogate (it would not
   *   come back identical), or when the context is incomplete. The message never echoes the plaintext.
   */
  encrypt(plaintext: string, context: SecretContext): string {
    if (typeof plaintext !== 'string') throw new TypeError('SecretBox.encrypt: the plaintext must be a string.');
    if (UNPAIRED_SURROGATE.test(plaintext)) {
      throw new TypeError('SecretBox.encrypt: the plaintext holds an unpaired UTF-16 surrogate and would not round-trip.');
    }
    checkContext(context);
    const keyId = this.#keyring.activeKeyId;
    const key = keyObjectOf(this.#keyring, keyId);
    if (key === undefined) throw new Error('SecretBox: the active key is missing from the keyring.');
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_LENGTH });
    cipher.setAAD(associatedData(keyId, context));
    const clear = Buffer.from(plaintext, 'utf8');
    const body = Buffer.concat([cipher.update(clear), cipher.final()]);
    clear.fill(0);
    const tag = cipher.getAuthTag();
    return [SECRET_FORMAT_VERSION, keyId, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /**
   * Decrypts a ciphertext written by {@link encrypt} for the same `context`, with the key it names.
   *
   * @throws SecretDecryptionError `SECRET_KEY_UNKNOWN` when the key id is not in the keyring;
   *   `SECRET_DECRYPTION_FAILED` when the value is malformed or fails authentication (other tenant,
   *   other field, altered bytes, or a different key under the same id).
   */
  decrypt(ciphertext: string, context: SecretContext): string {
    checkContext(context);
    const { keyId, iv, body, tag } = parse(ciphertext);
    const key = keyObjectOf(this.#keyring, keyId);
    if (key === undefined) {
      throw new SecretDecryptionError(
        'SECRET_KEY_UNKNOWN',
        `The secret "${context.field}" of tenant "${context.tenantId}" is encrypted under key "${keyId}", ` +
          `which is not in the keyring (${this.#keyring.keyIds.join(', ')}); was it removed before every row was re-encrypted?`,
        keyId,
      );
    }
    let clear: Buffer;
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_LENGTH });
      decipher.setAAD(associatedData(keyId, context));
      decipher.setAuthTag(tag);
      clear = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new SecretDecryptionError(
        'SECRET_DECRYPTION_FAILED',
        `The secret "${context.field}" of tenant "${context.tenantId}" failed authentication under key "${keyId}": ` +
          'it was written for another tenant or field, or it was altered.',
        keyId,
      );
    }
    const plaintext = clear.toString('utf8');
    clear.fill(0);
    return plaintext;
  }

  /**
   * Whether the ciphertext was written under a key other than the active one, and should be
   * re-encrypted by the rotation command. Reads the header only; does not authenticate.
   *
   * @throws SecretDecryptionError `SECRET_DECRYPTION_FAILED` when the value is not a ciphertext.
   */
  needsRotation(ciphertext: string): boolean {
    return keyIdOf(ciphertext) !== this.#keyring.activeKeyId;
  }

  /**
   * Decrypts (authenticating it) and encrypts again under the active key, for the same context.
   * Always returns a fresh ciphertext, even when the key was already the active one.
   *
   * @throws SecretDecryptionError as {@link decrypt}.
   */
  reencrypt(ciphertext: string, context: SecretContext): string {
    return this.encrypt(this.decrypt(ciphertext, context), context);
  }

  /** Same as the module function {@link keyIdOf}. */
  keyIdOf(ciphertext: string): string {
    return keyIdOf(ciphertext);
  }

  toString(): string {
    return `SecretBox(${this.#keyring.toString()})`;
  }

  toJSON(): { readonly activeKeyId: string; readonly keyIds: readonly string[] } {
    return this.#keyring.describe();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The key id a ciphertext was written under (no key needed; not authenticated).
 *
 * @throws SecretDecryptionError `SECRET_DECRYPTION_FAILED` when the value is not a ciphertext.
 */
export function keyIdOf(ciphertext: string): string {
  return parse(ciphertext).keyId;
}

const MASK = '••••••••';
/** Below this many characters, a masked secret shows no clear character at all. */
const MASK_MIN_LENGTH_FOR_HINT = 12;

/**
 * How a secret is shown once written (SR-23): eight bullets then its last 4 characters,
 * e.g. `••••••••abcd`. A secret shorter than 12 characters shows bullets only, since 4 characters
 * would be too large a share of it. The number of bullets is fixed so the length is not revealed.
 * Characters are counted as Unicode code points (an emoji is not cut in half).
 */
export function mask(plaintext: string): string {
  const characters = Array.from(plaintext);
  if (characters.length < MASK_MIN_LENGTH_FOR_HINT) return MASK;
  return MASK + characters.slice(-4).join('');
}

function checkContext(context: SecretContext): void {
  for (const name of ['tenantId', 'field'] as const) {
    const value: unknown = context?.[name];
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`SecretBox: context.${name} must be a non-empty string.`);
    }
    if (UNPAIRED_SURROGATE.test(value)) {
      throw new TypeError(`SecretBox: context.${name} holds an unpaired UTF-16 surrogate.`);
    }
  }
}

/** Length-prefixed encoding of the tuple (label, version, keyId, tenantId, field). */
function associatedData(keyId: string, context: SecretContext): Buffer {
  const parts = [AAD_LABEL, SECRET_FORMAT_VERSION, keyId, context.tenantId, context.field].map((part) => {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  });
  return Buffer.concat(parts);
}

function malformed(reason: string, keyId?: string): SecretDecryptionError {
  return new SecretDecryptionError('SECRET_DECRYPTION_FAILED', `Not a valid encrypted secret: ${reason}.`, keyId);
}

function parse(ciphertext: string): ParsedCiphertext {
  if (typeof ciphertext !== 'string') throw malformed('not a string');
  const parts = ciphertext.split('.');
  if (parts.length !== 5) throw malformed(`expected 5 parts separated by ".", got ${parts.length}`);
  const [version, keyId, iv, body, tag] = parts as [string, string, string, string, string];
  if (version !== SECRET_FORMAT_VERSION) {
    throw malformed(/^v[0-9]{1,3}$/.test(version) ? `unsupported format version "${version}"` : 'unknown format version');
  }
  if (!KEY_ID_PATTERN.test(keyId)) throw malformed('malformed key id');
  const ivBytes = decodeBase64Url(iv);
  if (ivBytes?.length !== IV_LENGTH) throw malformed(`the IV must be ${IV_LENGTH} bytes of base64url`, keyId);
  const tagBytes = decodeBase64Url(tag);
  if (tagBytes?.length !== TAG_LENGTH) throw malformed(`the tag must be ${TAG_LENGTH} bytes of base64url`, keyId);
  const bodyBytes = body === '' ? Buffer.alloc(0) : decodeBase64Url(body);
  if (bodyBytes === undefined) throw malformed('the ciphertext part is not base64url', keyId);
  return { keyId, iv: ivBytes, body: bodyBytes, tag: tagBytes };
}

/** Canonical unpadded base64url only: Node's decoder ignores junk and spare bits, we do not. */
function decodeBase64Url(encoded: string): Buffer | undefined {
  if (encoded === '' || !/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64url');
  return decoded.toString('base64url') === encoded ? decoded : undefined;
}
