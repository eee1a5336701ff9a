/**
 * The keyring: every AES-256 key the platform can decrypt with, each under a short id, and the id of
 * the one key new secrets are written with (the active key).
 *
 * Keys come from configuration, never from the database (SR-21):
 *
 * ```
 * SECRETS_KEYS="k2025a:<base64 of 32 random bytes>,k2026a:<base64 of 32 random bytes>"
 * SECRETS_ACTIVE_KEY=k2026a
 * ```
 *
 * A key id is 1 to 32 characters of `[a-z0-9_-]`; it is written in clear in front of every ciphertext,
 * so it must not be derived from the key. A key is exactly 32 bytes, standard base64 with padding
 * (44 characters), as printed by {@link generateKey}.
 *
 * Key material never leaves this module in readable form: the bytes are held as Node `KeyObject`s in a
 * module-private map, and `toString`, `toJSON` and `util.inspect` show only the ids. Error messages name
 * the variable, the entry and, when it is well formed, the key id, but never the key.
 */
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyringConfigError } from './errors.js';

/** Length in bytes of every key (AES-256). */
export const KEY_LENGTH = 32;

/** Allowed shape of a key id. It never contains `.` or `:`, which separate fields in the formats. */
export const KEY_ID_PATTERN = /^[a-z0-9_-]{1,32}$/;

/** One key as given in code (tests, tools). `key` is copied; the caller may wipe its buffer afterwards. */
export interface KeyringKey {
  readonly id: string;
  readonly key: Uint8Array;
}

/** What a keyring shows of itself in logs and JSON: ids only. */
export interface KeyringDescription {
  readonly activeKeyId: string;
  readonly keyIds: readonly string[];
}

/** Key objects per keyring, kept outside the instance so that nothing enumerable holds them. */
const materials = new WeakMap<Keyring, ReadonlyMap<string, KeyObject>>();

export class Keyring {
  /** Id of the key new ciphertexts are written with. */
  readonly activeKeyId: string;
  /** Ids of every key this keyring can decrypt with, in configuration order. */
  readonly keyIds: readonly string[];

  /**
   * @throws KeyringConfigError when a key id is malformed or repeated, a key is not 32 bytes or is all
   *   zeros, two ids hold the same key, or the active id is not among the keys.
   */
  constructor(keys: readonly KeyringKey[], activeKeyId: string) {
    validateKeys(keys, (index) => `key #${index + 1}`);
    const byId = new Map<string, KeyObject>();
    for (const { id, key } of keys) byId.set(id, createSecretKey(Buffer.from(key)));
    if (typeof activeKeyId !== 'string' || !byId.has(activeKeyId)) {
      const shown = typeof activeKeyId === 'string' && KEY_ID_PATTERN.test(activeKeyId) ? `"${activeKeyId}"` : 'given';
      throw new KeyringConfigError(
        `The active key id ${shown} is not one of the keys (${[...byId.keys()].join(', ')}).`,
      );
    }
    this.activeKeyId = activeKeyId;
    this.keyIds = Object.freeze([...byId.keys()]);
    materials.set(this, byId);
    Object.freeze(this);
  }

  /** Whether this keyring can decrypt ciphertexts written under `keyId`. */
  has(keyId: string): boolean {
    return this.keyIds.includes(keyId);
  }

  /** Ids only, never key material. */
  describe(): KeyringDescription {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  toJSON(): KeyringDescription {
    return this.describe();
  }

  toString(): string {
    return `Keyring(active=${this.activeKeyId}, keys=[${this.keyIds.join(', ')}])`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The key object under `keyId`, or `undefined`. Internal to this library (not exported by the
 * package entry point): only {@link SecretBox} uses keys.
 */
export function keyObjectOf(keyring: Keyring, keyId: string): KeyObject | undefined {
  return materials.get(keyring)?.get(keyId);
}

/**
 * Builds a keyring from the two configuration variables.
 *
 * @param keysSpec value of `SECRETS_KEYS`: comma-separated `<id>:<base64 key>` entries (whitespace
 *   around entries is ignored).
 * @param activeId value of `SECRETS_ACTIVE_KEY`: the id of the key new secrets are written with.
 * @throws KeyringConfigError naming the variable and the faulty entry, never the key material.
 */
export function parseKeyring(keysSpec: string | undefined, activeId: string | undefined): Keyring {
  if (keysSpec === undefined || keysSpec.trim() === '') {
    throw new KeyringConfigError('SECRETS_KEYS is missing or empty: expected "<id>:<base64 key>[,<id>:<base64 key>…]".');
  }
  if (activeId === undefined || activeId.trim() === '') {
    throw new KeyringConfigError('SECRETS_ACTIVE_KEY is missing or empty: expected the id of one key of SECRETS_KEYS.');
  }
  const keys: KeyringKey[] = [];
  const buffers: Buffer[] = [];
  try {
    keysSpec.split(',').forEach((rawEntry, index) => {
      const where = `SECRETS_KEYS entry #${index + 1}`;
      const entry = rawEntry.trim();
      if (entry === '') throw new KeyringConfigError(`${where} is empty (stray comma?).`);
      const colon = entry.indexOf(':');
      if (colon < 0) throw new KeyringConfigError(`${where} is not of the form "<id>:<base64 key>" (no ":" found).`);
      const id = entry.slice(0, colon).trim();
      const encoded = entry.slice(colon + 1).trim();
      if (!KEY_ID_PATTERN.test(id)) {
        throw new KeyringConfigError(
          `${where}: the key id before ":" must be 1 to 32 characters among a-z, 0-9, "_" and "-".`,
        );
      }
      const key = decodeStrictBase64(encoded);
      if (key === undefined) {
        throw new KeyringConfigError(
          `${where} ("${id}"): the key is not valid base64 (standard alphabet with "=" padding, as printed by generateKey).`,
        );
      }
      buffers.push(key);
      if (key.length !== KEY_LENGTH) {
        throw new KeyringConfigError(`${where} ("${id}"): the key must decode to ${KEY_LENGTH} bytes, got ${key.length}.`);
      }
      keys.push({ id, key });
    });
    validateKeys(keys, (index) => `SECRETS_KEYS entry #${index + 1}`);
    const active = activeId.trim();
    const known = new Set(keys.map((k) => k.id));
    if (!known.has(active)) {
      const shown = KEY_ID_PATTERN.test(active) ? `"${active}"` : 'value';
      throw new KeyringConfigError(
        `SECRETS_ACTIVE_KEY ${shown} is not one of the key ids of SECRETS_KEYS (${[...known].join(', ')}).`,
      );
    }
    return new Keyring(keys, active);
  } finally {
    // The keyring holds its own copies; do not leave decoded keys lying around in the heap.
    for (const buffer of buffers) buffer.fill(0);
  }
}

/** Reads `SECRETS_KEYS` and `SECRETS_ACTIVE_KEY` from `env` (default `process.env`). */
export function keyringFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Keyring {
  return parseKeyring(env.SECRETS_KEYS, env.SECRETS_ACTIVE_KEY);
}

/** A new random 32-byte key, base64-encoded, ready to paste into `SECRETS_KEYS` (for a CLI command). */
export function generateKey(): string {
  const key = randomBytes(KEY_LENGTH);
  const encoded = key.toString('base64');
  key.fill(0);
  return encoded;
}

/**
 * Checks ids (shape, uniqueness) and keys (length, not all zeros, no two ids with the same key).
 * `where` names an entry in messages; messages never include key bytes.
 */
function validateKeys(keys: readonly KeyringKey[], where: (index: number) => string): void {
  if (keys.length === 0) throw new KeyringConfigError('The keyring holds no key: at least one key is required.');
  const seen: KeyringKey[] = [];
  keys.forEach(({ id, key }, index) => {
    if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) {
      throw new KeyringConfigError(`${where(index)}: the key id must be 1 to 32 characters among a-z, 0-9, "_" and "-".`);
    }
    if (seen.some((other) => other.id === id)) {
      throw new KeyringConfigError(`${where(index)}: the key id "${id}" appears more than once.`);
    }
    if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
      const got = key instanceof Uint8Array ? `${key.length} bytes` : 'not a byte array';
      throw new KeyringConfigError(`${where(index)} ("${id}"): a key must be exactly ${KEY_LENGTH} bytes, got ${got}.`);
    }
    if (key.every((byte) => byte === 0)) {
      throw new KeyringConfigError(`${where(index)} ("${id}"): the key is all zeros, a placeholder rather than a key.`);
    }
    const twin = seen.find((other) => Buffer.compare(other.key, key) === 0);
    if (twin) {
      throw new KeyringConfigError(`${where(index)} ("${id}"): same key as "${twin.id}"; each id needs its own key.`);
    }
    seen.push({ id, key });
  });
}

/** Decodes canonical standard base64 (Node's decoder silently skips junk, so we check a round trip). */
function decodeStrictBase64(encoded: string): Buffer | undefined {
  if (encoded === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64');
  if (decoded.toString('base64') !== encoded) {
    decoded.fill(0);
    return undefined;
  }
  return decoded;
}
