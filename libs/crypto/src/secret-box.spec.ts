import { createCipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretDecryptionError } from './errors.js';
import { generateKey, Keyring, parseKeyring } from './keyring.js';
import { keyIdOf, mask, SecretBox, type SecretContext } from './secret-box.js';

const K1 = generateKey();
const K2 = generateKey();
const CONTEXT: SecretContext = { tenantId: '7f0c1d2e-0000-4000-8000-000000000001', field: 'franceconnect.production.client_secret' };
const SECRET = 'fc-client-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const FORMAT = /^v1\.([a-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

function boxWith(spec: string, active: string): SecretBox {
  return new SecretBox(parseKeyring(spec, active));
}

function decryptionError(run: () => unknown): SecretDecryptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretDecryptionError);
    return error as SecretDecryptionError;
  }
  throw new Error('expected a SecretDecryptionError');
}

function expectSafeMessage(error: Error, ...forbidden: string[]): void {
  for (const text of [error.message, inspect(error), JSON.stringify(error)]) {
    for (const value of forbidden) expect(text).not.toContain(value);
  }
}

describe('SecretBox', () => {
  const box = boxWith(`k1:${K1}`, 'k1');

  describe('round trip', () => {
    it.each([
      ['a FranceConnect client secret', SECRET],
      ['an API Particulier token', 'eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOiIxMjMifQ.c2lnbmF0dXJl'],
      ['accents', 'mot-de-passe-élevé-çà-où-æœ'],
      ['emoji and astral characters', '🔑🇫🇷 secret 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👨‍👩‍👧'],
      ['CJK and right-to-left scripts', '秘密のトークン سر'],
      ['control characters and NUL', 'a\u0000b\n\t\r\u007f.:,'],
      ['a single character', 'x'],
      ['an empty string', ''],
      ['64 KiB of text', 'abc€'.repeat(16384)],
    ])('gives back %s', (_name, plaintext) => {
      const ciphertext = box.encrypt(plaintext, CONTEXT);
      expect(ciphertext).toMatch(FORMAT);
      expect(box.decrypt(ciphertext, CONTEXT)).toBe(plaintext);
    });

    it('writes v1.<keyId>.<12-byte iv>.<ciphertext>.<16-byte tag> in base64url, plaintext-free', () => {
      const ciphertext = box.encrypt(SECRET, CONTEXT);
      const [, keyId, iv, body, tag] = FORMAT.exec(ciphertext) ?? [];
      expect(keyId).toBe('k1');
      expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
      expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
      expect(Buffer.from(body ?? '', 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
      expect(ciphertext).toMatch(/^[\x21-\x7e]+$/);
      expect(ciphertext).not.toContain(SECRET.slice(0, 8));
      expect(ciphertext).not.toContain(Buffer.from(SECRET).toString('base64url').slice(0, 8));
    });

    it('gives a different ciphertext every time for the same input', () => {
      const ciphertexts = new Set(Array.from({ length: 50 }, () => box.encrypt(SECRET, CONTEXT)));
      expect(ciphertexts.size).toBe(50);
      const ivs = new Set([...ciphertexts].map((c) => c.split('.')[2]));
      expect(ivs.size).toBe(50);
      for (const ciphertext of ciphertexts) expect(box.decrypt(ciphertext, CONTEXT)).toBe(SECRET);
    });

    it('decrypts with another SecretBox built from the same configuration (another process)', () => {
      const ciphertext = box.encrypt(SECRET, CONTEXT);
      expect(boxWith(`k1:${K1}`, 'k1').decrypt(ciphertext, CONTEXT)).toBe(SECRET);
    });

    it('follows the documented format, byte for byte (an independent encryption decrypts)', () => {
      const key = Buffer.from(K1, 'base64');
      const iv = randomBytes(12);
      const lengthPrefixed = (value: string): Buffer => {
        const bytes = Buffer.from(value, 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        return Buffer.concat([length, bytes]);
      };
      const aad = Buffer.concat(['fcplat/secret-box', 'v1', 'k1', CONTEXT.tenantId, CONTEXT.field].map(lengthPrefixed));
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update('données', 'utf8'), cipher.final()]);
      const ciphertext = ['v1', 'k1', iv, body, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
      expect(box.decrypt(ciphertext, CONTEXT)).toBe('données');
    });
  });

  describe('associated data: a ciphertext only opens where it was written', () => {
    const ciphertext = box.encrypt(SECRET, CONTEXT);

    it.each<[string, SecretContext]>([
      ['another tenant', { ...CONTEXT, tenantId: '7f0c1d2e-0000-4000-8000-000000000002' }],
      ['another field of the same tenant', { ...CONTEXT, field: 'franceconnect.sandbox.client_secret' }],
      ['another kind of secret', { ...CONTEXT, field: 'api_particulier.token' }],
      ['tenant and field swapped', { tenantId: CONTEXT.field, field: CONTEXT.tenantId }],
      ['a tenant id differing in case', { ...CONTEXT, tenantId: CONTEXT.tenantId.toUpperCase() }],
      ['a tenant id with a trailing space', { ...CONTEXT, tenantId: `${CONTEXT.tenantId} ` }],
    ])('fails for %s', (_name, other) => {
      const error = decryptionError(() => box.decrypt(ciphertext, other));
      expect(error.code).toBe('SECRET_DECRYPTION_FAILED');
      expect(error.keyId).toBe('k1');
      expect(error.message).toContain(`"${other.field}" of tenant "${other.tenantId}"`);
      expectSafeMessage(error, SECRET, ciphertext, ciphertext.split('.')[3] ?? '');
    });

    it('encodes (tenant, field) unambiguously: ("a", "bc") is not ("ab", "c")', () => {
      const pairs: [SecretContext, SecretContext][] = [
        [{ tenantId: 'a', field: 'bc' }, { tenantId: 'ab', field: 'c' }],
        [{ tenantId: 'a.b', field: 'c' }, { tenantId: 'a', field: 'b.c' }],
        [{ tenantId: 'a|b', field: 'c' }, { tenantId: 'a', field: 'b|c' }],
        [{ tenantId: 'a\u0000', field: 'b' }, { tenantId: 'a', field: '\u0000b' }],
        [{ tenantId: 'a","b', field: 'c' }, { tenantId: 'a', field: 'b","c' }],
      ];
      for (const [written, read] of pairs) {
        const sealed = box.encrypt(SECRET, written);
        expect(box.decrypt(sealed, written)).toBe(SECRET);
        expect(decryptionError(() => box.decrypt(sealed, read)).code).toBe('SECRET_DECRYPTION_FAILED');
      }
    });

    it('refuses an empty or missing context rather than encrypting without one', () => {
      for (const context of [
        { tenantId: '', field: 'f' },
        { tenantId: 't', field: '' },
        { tenantId: 't' } as SecretContext,
        undefined as unknown as SecretContext,
      ]) {
        expect(() => box.encrypt(SECRET, context)).toThrow(TypeError);
        expect(() => box.decrypt(ciphertext, context)).toThrow(TypeError);
      }
    });
  });

  describe('tampering', () => {
    const ciphertext = box.encrypt(SECRET, CONTEXT);
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

    it('fails when any single character is replaced, whatever the part', () => {
      let tried = 0;
      for (let index = 0; index < ciphertext.length; index += 1) {
        const current = ciphertext.charAt(index);
        if (current === '.') continue;
        for (const replacement of [ALPHABET[(ALPHABET.indexOf(current) + 1) % 64], ALPHABET[(ALPHABET.indexOf(current) + 33) % 64]]) {
          const tampered = ciphertext.slice(0, index) + replacement + ciphertext.slice(index + 1);
          expect(tampered).not.toBe(ciphertext);
          const error = decryptionError(() => box.decrypt(tampered, CONTEXT));
          expect(['SECRET_DECRYPTION_FAILED', 'SECRET_KEY_UNKNOWN']).toContain(error.code);
          expectSafeMessage(error, SECRET);
          tried += 1;
        }
      }
      expect(tried).toBeGreaterThan(100);
    });

    it.each([
      ['iv', 2],
      ['ciphertext', 3],
      ['tag', 4],
    ])('fails authentication when one bit of the %s flips', (_name, part) => {
      const parts = ciphertext.split('.');
      const bytes = Buffer.from(parts[part] ?? '', 'base64url');
      for (let bit = 0; bit < bytes.length * 8; bit += 1) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const tampered = parts.map((value, i) => (i === part ? flipped.toString('base64url') : value)).join('.');
        expect(decryptionError(() => box.decrypt(tampered, CONTEXT)).code).toBe('SECRET_DECRYPTION_FAILED');
      }
    });

    it('fails when parts come from two different ciphertexts', () => {
      const other = box.encrypt(SECRET, CONTEXT).split('.');
      const parts = ciphertext.split('.');
      for (const part of [2, 3, 4]) {
        const mixed = parts.map((value, i) => (i === part ? other[i] : value)).join('.');
        expect(decryptionError(() => box.decrypt(mixed, CONTEXT)).code).toBe('SECRET_DECRYPTION_FAILED');
      }
    });

    it('fails when the header names another key the keyring holds', () => {
      const twoKeys = boxWith(`k1:${K1},k2:${K2}`, 'k1');
      const relabelled = ciphertext.replace(/^v1\.k1\./, 'v1.k2.');
      const error = decryptionError(() => twoKeys.decrypt(relabelled, CONTEXT));
      expect(error.code).toBe('SECRET_DECRYPTION_FAILED');
      expect(error.keyId).toBe('k2');
    });

    it('fails when the key under the same id is not the one it was written with', () => {
      const error = decryptionError(() => boxWith(`k1:${K2}`, 'k1').decrypt(ciphertext, CONTEXT));
      expect(error.code).toBe('SECRET_DECRYPTION_FAILED');
    });

    it.each([
      ['an empty string', ''],
      ['the plaintext itself', SECRET],
      ['a truncated value', ciphertext.slice(0, -3)],
      ['a value with a part missing', ciphertext.split('.').slice(0, 4).join('.')],
      ['a value with an extra part', `${ciphertext}.AAAA`],
      ['another version', ciphertext.replace(/^v1\./, 'v2.')],
      ['no version', ciphertext.replace(/^v1\./, '.')],
      ['an upper-cased key id', ciphertext.replace(/^v1\.k1\./, 'v1.K1.')],
      ['padding added', ciphertext.replace(/\.([^.]+)$/, '.$1==')],
      ['standard base64 characters', ciphertext.replace(/-/g, '+').replace(/_/g, '/').replace(/\.([^.]+)$/, '.+$1')],
      ['whitespace around it', ` ${ciphertext} `],
      ['an emptied ciphertext part', ciphertext.split('.').map((p, i) => (i === 3 ? '' : p)).join('.')],
      ['a 16-byte IV', ciphertext.split('.').map((p, i) => (i === 2 ? randomBytes(16).toString('base64url') : p)).join('.')],
      ['a truncated tag', ciphertext.split('.').map((p, i) => (i === 4 ? (p ?? '').slice(0, 16) : p)).join('.')],
      ['a non-string', 42 as unknown as string],
    ])('rejects %s as SECRET_DECRYPTION_FAILED', (_name, value) => {
      const error = decryptionError(() => box.decrypt(value, CONTEXT));
      expect(error.code).toBe('SECRET_DECRYPTION_FAILED');
      expectSafeMessage(error, SECRET);
    });
  });

  describe('unknown key', () => {
    it('fails with SECRET_KEY_UNKNOWN naming the key id', () => {
      const ciphertext = boxWith(`k1:${K1}`, 'k1').encrypt(SECRET, CONTEXT);
      const error = decryptionError(() => boxWith(`k2:${K2}`, 'k2').decrypt(ciphertext, CONTEXT));
      expect(error.code).toBe('SECRET_KEY_UNKNOWN');
      expect(error.keyId).toBe('k1');
      expect(error.name).toBe('SecretDecryptionError');
      expect(error.message).toMatch(/key "k1", which is not in the keyring \(k2\)/);
      expectSafeMessage(error, SECRET, K1, K2, ciphertext);
    });
  });

  describe('rotation', () => {
    const oldBox = boxWith(`k1:${K1}`, 'k1');
    const written = oldBox.encrypt(SECRET, CONTEXT);

    it('moves a secret from k1 to k2, after which k1 can be removed', () => {
      // Step 1: every instance learns k2, k1 still active: nothing to rotate yet.
      const learning = boxWith(`k1:${K1},k2:${K2}`, 'k1');
      expect(learning.needsRotation(written)).toBe(false);
      expect(learning.decrypt(learning.encrypt(SECRET, CONTEXT), CONTEXT)).toBe(SECRET);
      // Step 2: k2 becomes active; old rows still read, new rows use k2.
      const rotating = boxWith(`k1:${K1},k2:${K2}`, 'k2');
      expect(rotating.activeKeyId).toBe('k2');
      expect(rotating.decrypt(written, CONTEXT)).toBe(SECRET);
      expect(keyIdOf(rotating.encrypt('new', CONTEXT))).toBe('k2');
      // Step 3: the command re-encrypts what needs it.
      expect(rotating.keyIdOf(written)).toBe('k1');
      expect(rotating.needsRotation(written)).toBe(true);
      const rotated = rotating.reencrypt(written, CONTEXT);
      expect(keyIdOf(rotated)).toBe('k2');
      expect(rotated).toMatch(/^v1\.k2\./);
      expect(rotating.needsRotation(rotated)).toBe(false);
      expect(rotating.decrypt(rotated, CONTEXT)).toBe(SECRET);
      // Step 4: k1 removed; the rotated row reads, a forgotten row fails loudly.
      const afterwards = boxWith(`k2:${K2}`, 'k2');
      expect(afterwards.decrypt(rotated, CONTEXT)).toBe(SECRET);
      expect(decryptionError(() => afterwards.decrypt(written, CONTEXT)).code).toBe('SECRET_KEY_UNKNOWN');
    });

    it('keeps the context bound: re-encryption cannot move a secret to another tenant', () => {
      const rotating = boxWith(`k1:${K1},k2:${K2}`, 'k2');
      const elsewhere = { ...CONTEXT, tenantId: 'another-tenant' };
      expect(decryptionError(() => rotating.reencrypt(written, elsewhere)).code).toBe('SECRET_DECRYPTION_FAILED');
      const rotated = rotating.reencrypt(written, CONTEXT);
      expect(decryptionError(() => rotating.decrypt(rotated, elsewhere)).code).toBe('SECRET_DECRYPTION_FAILED');
    });

    it('authenticates before re-encrypting, and always returns a fresh ciphertext', () => {
      const rotating = boxWith(`k1:${K1},k2:${K2}`, 'k2');
      const tampered = written.replace(/\.([^.])([^.]*)$/, (_m, first: string, rest: string) => `.${first === 'A' ? 'B' : 'A'}${rest}`);
      expect(decryptionError(() => rotating.reencrypt(tampered, CONTEXT)).code).toBe('SECRET_DECRYPTION_FAILED');
      const current = rotating.encrypt(SECRET, CONTEXT);
      const again = rotating.reencrypt(current, CONTEXT);
      expect(again).not.toBe(current);
      expect(rotating.decrypt(again, CONTEXT)).toBe(SECRET);
    });

    it('reports malformed values instead of guessing whether they need rotation', () => {
      expect(decryptionError(() => box.needsRotation('plaintext-secret')).code).toBe('SECRET_DECRYPTION_FAILED');
      expect(decryptionError(() => keyIdOf('v1.k1.only-three')).code).toBe('SECRET_DECRYPTION_FAILED');
    });
  });

  describe('input checks', () => {
    it('refuses a plaintext with an unpaired surrogate without echoing it', () => {
      const broken = 'secret-\uD83D-tail';
      try {
        box.encrypt(broken, CONTEXT);
        throw new Error('expected a TypeError');
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).not.toContain('secret-');
      }
    });

    it('refuses a non-string plaintext', () => {
      expect(() => box.encrypt(undefined as unknown as string, CONTEXT)).toThrow(TypeError);
    });

    it('describes itself by key ids only', () => {
      const shown = new SecretBox(new Keyring([{ id: 'k1', key: Buffer.from(K1, 'base64') }], 'k1'));
      expect(String(shown)).toBe('SecretBox(Keyring(active=k1, keys=[k1]))');
      expect(inspect(shown)).toBe('SecretBox(Keyring(active=k1, keys=[k1]))');
      expect(JSON.stringify(shown)).toBe('{"activeKeyId":"k1","keyIds":["k1"]}');
    });
  });
});

describe('mask', () => {
  it.each([
    ['a long secret', SECRET, '••••••••b1a0'],
    ['exactly 12 characters', 'abcdefghijkl', '••••••••ijkl'],
    ['11 characters', 'abcdefghijk', '••••••••'],
    ['a 4-character secret', 'abcd', '••••••••'],
    ['an empty string', '', '••••••••'],
    ['astral characters, counted as one each', 'x'.repeat(10) + '🔑🇫🇷é', '••••••••🔑🇫🇷é'],
    ['11 emoji (22 UTF-16 units)', '🔑'.repeat(11), '••••••••'],
  ])('masks %s', (_name, plaintext, expected) => {
    expect(mask(plaintext)).toBe(expected);
  });

  it('does not reveal the length', () => {
    expect(mask('a'.repeat(12))).toHaveLength(mask('a'.repeat(500)).length);
    expect(mask('abc')).toBe(mask('abcdefghij'));
  });
});
