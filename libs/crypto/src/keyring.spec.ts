import { randomBytes } from 'node:crypto';
import { format, inspect } from 'node:util';
import { KeyringConfigError } from './errors.js';
import { generateKey, Keyring, keyringFromEnv, parseKeyring } from './keyring.js';
import { SecretBox } from './secret-box.js';

const K1 = generateKey();
const K2 = generateKey();

/** Every way a key could be spelled in a leak: base64, base64url, hex. */
function spellings(base64Key: string): string[] {
  const bytes = Buffer.from(base64Key, 'base64');
  return [base64Key, base64Key.replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex')];
}

function expectNoKeyMaterial(text: string, ...keys: string[]): void {
  for (const key of keys) {
    for (const spelling of spellings(key)) {
      expect(text).not.toContain(spelling);
      // Not even a recognisable fragment.
      expect(text).not.toContain(spelling.slice(0, 12));
    }
  }
}

function configError(run: () => unknown): KeyringConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyringConfigError);
    expect((error as KeyringConfigError).code).toBe('SECRETS_KEYRING_INVALID');
    return error as KeyringConfigError;
  }
  throw new Error('expected a KeyringConfigError');
}

describe('generateKey', () => {
  it('returns 32 random bytes as canonical base64', () => {
    const key = generateKey();
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(generateKey()).not.toBe(key);
  });

  it('produces keys that parseKeyring accepts', () => {
    expect(parseKeyring(`k:${generateKey()}`, 'k').keyIds).toEqual(['k']);
  });
});

describe('parseKeyring', () => {
  it('reads ids, keys and the active id', () => {
    const keyring = parseKeyring(`k2025a:${K1},k2026a:${K2}`, 'k2026a');
    expect(keyring.keyIds).toEqual(['k2025a', 'k2026a']);
    expect(keyring.activeKeyId).toBe('k2026a');
    expect(keyring.has('k2025a')).toBe(true);
    expect(keyring.has('k2027a')).toBe(false);
  });

  it('tolerates whitespace and line breaks around entries', () => {
    const keyring = parseKeyring(`\n  k1 : ${K1} ,\n  k2:${K2}\n`, ' k1 ');
    expect(keyring.keyIds).toEqual(['k1', 'k2']);
    expect(keyring.activeKeyId).toBe('k1');
  });

  it('accepts ids with digits, "_" and "-" up to 32 characters', () => {
    const id = 'a'.repeat(30) + '_-';
    expect(parseKeyring(`${id}:${K1}`, id).activeKeyId).toBe(id);
  });

  const short = randomBytes(16).toString('base64');
  const long = randomBytes(48).toString('base64');
  const zeros = Buffer.alloc(32).toString('base64');
  const cases: { name: string; keys: string | undefined; active: string | undefined; message: RegExp; secrets: string[] }[] = [
    { name: 'SECRETS_KEYS missing', keys: undefined, active: 'k1', message: /^SECRETS_KEYS is missing or empty/, secrets: [] },
    { name: 'SECRETS_KEYS blank', keys: '  ', active: 'k1', message: /^SECRETS_KEYS is missing or empty/, secrets: [] },
    { name: 'SECRETS_ACTIVE_KEY missing', keys: `k1:${K1}`, active: undefined, message: /^SECRETS_ACTIVE_KEY is missing/, secrets: [K1] },
    { name: 'stray comma', keys: `k1:${K1},`, active: 'k1', message: /^SECRETS_KEYS entry #2 is empty/, secrets: [K1] },
    {
      name: 'an entry without an id (a bare key)',
      keys: `k1:${K1},${K2}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #2 is not of the form "<id>:<base64 key>"/,
      secrets: [K1, K2],
    },
    {
      name: 'key and id swapped',
      keys: `${K1}:k1`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #1: the key id before ":" must be 1 to 32 characters/,
      secrets: [K1],
    },
    { name: 'an upper-case id', keys: `K1:${K1}`, active: 'K1', message: /^SECRETS_KEYS entry #1: the key id/, secrets: [K1] },
    { name: 'an empty id', keys: `:${K1}`, active: 'k1', message: /^SECRETS_KEYS entry #1: the key id/, secrets: [K1] },
    { name: 'an id of 33 characters', keys: `${'a'.repeat(33)}:${K1}`, active: 'k1', message: /entry #1: the key id/, secrets: [K1] },
    {
      name: 'a duplicate id',
      keys: `k1:${K1},k1:${K2}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #2: the key id "k1" appears more than once/,
      secrets: [K1, K2],
    },
    {
      name: 'a 16-byte key',
      keys: `k1:${K1},k2:${short}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #2 \("k2"\): the key must decode to 32 bytes, got 16/,
      secrets: [K1, short],
    },
    {
      name: 'a 48-byte key',
      keys: `k1:${long}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #1 \("k1"\): the key must decode to 32 bytes, got 48/,
      secrets: [long],
    },
    {
      name: 'a key with a character outside base64',
      keys: `k1:${K1.slice(0, 10)}!${K1.slice(11)}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #1 \("k1"\): the key is not valid base64/,
      secrets: [K1],
    },
    {
      name: 'a key without its padding',
      keys: `k1:${K1.replace(/=+$/, '')}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #1 \("k1"\): the key is not valid base64/,
      secrets: [K1],
    },
    {
      name: 'a base64url key',
      keys: `k1:${Buffer.from(K1, 'base64').toString('base64url')}`,
      active: 'k1',
      message: /not valid base64|must decode to 32 bytes/,
      secrets: [K1],
    },
    { name: 'an empty key', keys: 'k1:', active: 'k1', message: /entry #1 \("k1"\): the key is not valid base64/, secrets: [] },
    {
      name: 'an all-zero placeholder key',
      keys: `k1:${zeros}`,
      active: 'k1',
      message: /^SECRETS_KEYS entry #1 \("k1"\): the key is all zeros/,
      secrets: [],
    },
    {
      name: 'the same key under two ids',
      keys: `k1:${K1},k2:${K1}`,
      active: 'k2',
      message: /^SECRETS_KEYS entry #2 \("k2"\): same key as "k1"/,
      secrets: [K1],
    },
    {
      name: 'an unknown active id',
      keys: `k1:${K1},k2:${K2}`,
      active: 'k3',
      message: /^SECRETS_ACTIVE_KEY "k3" is not one of the key ids of SECRETS_KEYS \(k1, k2\)/,
      secrets: [K1, K2],
    },
    {
      name: 'a key pasted into SECRETS_ACTIVE_KEY',
      keys: `k1:${K1}`,
      active: K1,
      message: /^SECRETS_ACTIVE_KEY value is not one of the key ids of SECRETS_KEYS \(k1\)/,
      secrets: [K1],
    },
  ];

  it.each(cases)('rejects $name with a precise message free of key material', ({ keys, active, message, secrets }) => {
    const error = configError(() => parseKeyring(keys, active));
    expect(error.message).toMatch(message);
    expectNoKeyMaterial(error.message, ...secrets);
    expectNoKeyMaterial(inspect(error), ...secrets);
    expectNoKeyMaterial(JSON.stringify(error), ...secrets);
  });

  it('reads SECRETS_KEYS and SECRETS_ACTIVE_KEY from an environment', () => {
    const keyring = keyringFromEnv({ SECRETS_KEYS: `k1:${K1}`, SECRETS_ACTIVE_KEY: 'k1' });
    expect(keyring.describe()).toEqual({ activeKeyId: 'k1', keyIds: ['k1'] });
    expect(configError(() => keyringFromEnv({})).message).toMatch(/^SECRETS_KEYS is missing/);
  });
});

describe('Keyring', () => {
  const keyring = parseKeyring(`k1:${K1},k2:${K2}`, 'k2');

  it('shows ids only through toString, template literals, JSON and util.inspect', () => {
    const renderings = [
      String(keyring),
      `${keyring}`,
      JSON.stringify(keyring),
      JSON.stringify({ config: { keyring } }),
      inspect(keyring),
      inspect(keyring, { showHidden: true, depth: Infinity, customInspect: true }),
      inspect({ nested: [keyring] }, { depth: Infinity }),
      format('%s %o %O %j', keyring, keyring, keyring, keyring),
      JSON.stringify(Object.entries(keyring)),
      inspect(new SecretBox(keyring), { showHidden: true, depth: Infinity }),
      JSON.stringify(new SecretBox(keyring)),
    ];
    for (const text of renderings) {
      expectNoKeyMaterial(text, K1, K2);
    }
    expect(String(keyring)).toBe('Keyring(active=k2, keys=[k1, k2])');
    expect(JSON.parse(JSON.stringify(keyring))).toEqual({ activeKeyId: 'k2', keyIds: ['k1', 'k2'] });
    expect(inspect(keyring)).toBe('Keyring(active=k2, keys=[k1, k2])');
  });

  it('exposes no enumerable property holding a key', () => {
    expect(Object.keys(keyring).sort()).toEqual(['activeKeyId', 'keyIds']);
    for (const name of Object.getOwnPropertyNames(keyring)) {
      const value: unknown = (keyring as unknown as Record<string, unknown>)[name];
      expect(value instanceof Uint8Array).toBe(false);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(keyring)).toBe(true);
    expect(Object.isFrozen(keyring.keyIds)).toBe(true);
    expect(() => {
      (keyring as { activeKeyId: string }).activeKeyId = 'k1';
    }).toThrow(TypeError);
  });

  it('copies the keys it is given, so the caller can wipe its buffers', () => {
    const raw = randomBytes(32);
    const box = new SecretBox(new Keyring([{ id: 'k1', key: raw }], 'k1'));
    const context = { tenantId: 't1', field: 'f' };
    const ciphertext = box.encrypt('s3cr3t', context);
    raw.fill(0);
    expect(box.decrypt(ciphertext, context)).toBe('s3cr3t');
  });

  it('validates keys given in code like the configuration', () => {
    const key = randomBytes(32);
    expect(configError(() => new Keyring([], 'k1')).message).toMatch(/holds no key/);
    expect(configError(() => new Keyring([{ id: 'k1', key: randomBytes(31) }], 'k1')).message).toMatch(
      /^key #1 \("k1"\): a key must be exactly 32 bytes, got 31 bytes/,
    );
    expect(configError(() => new Keyring([{ id: 'K!', key }], 'K!')).message).toMatch(/^key #1: the key id must be/);
    expect(
      configError(
        () =>
          new Keyring(
            [
              { id: 'k1', key },
              { id: 'k1', key: randomBytes(32) },
            ],
            'k1',
          ),
      ).message,
    ).toMatch(/^key #2: the key id "k1" appears more than once/);
    expect(configError(() => new Keyring([{ id: 'k1', key }], 'k2')).message).toMatch(
      /^The active key id "k2" is not one of the keys \(k1\)/,
    );
    const error = configError(() => new Keyring([{ id: 'k1', key }], key.toString('base64')));
    expectNoKeyMaterial(error.message, key.toString('base64'));
  });
});
