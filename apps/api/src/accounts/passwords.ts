import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { FieldViolation } from '@fcplat/common';
import { PASSWORD_MAX_LENGTH } from '@fcplat/domain';
import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 50 ms here,
 * computed on libuv's thread pool so the event loop stays free.
 */
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the cost of hashing an attacker's input (the request schemas bound it too). */
export { PASSWORD_MAX_LENGTH };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * A hash of a random password, computed once: an unknown e-mail, or an account without a
 * password, is "verified" against it so that the answer takes as long as for a real account.
 */
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hash(`dummy-${Math.random().toString(36)}-${Date.now()}`, ARGON2_OPTIONS);
  return dummyHash;
}

/** Verifies `password` against `passwordHash`, or against the dummy hash when there is none (always false then). */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummy(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Warms the dummy hash so the first login of a process is not measurably slower. */
export function warmPasswordHashing(): void {
  void dummy();
}

/** The password policy (ASVS 5.0 V6.2): length, not the e-mail address, not a well-known password. */
export function passwordViolations(password: string, email: string): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) violations.push({ path: 'password', message: `au moins ${PASSWORD_MIN_LENGTH} caractères` });
  if (length > PASSWORD_MAX_LENGTH) violations.push({ path: 'password', message: `au plus ${PASSWORD_MAX_LENGTH} caractères` });
  const folded = password.trim().toLowerCase();
  const mail = email.toLowerCase();
  if (folded === mail || folded === mail.split('@')[0]) violations.push({ path: 'password', message: 'ne doit pas être votre adresse e-mail' });
  if (COMMON_PASSWORDS.has(folded)) violations.push({ path: 'password', message: 'ce mot de passe est trop courant, choisissez-en un autre' });
  if (length >= PASSWORD_MIN_LENGTH && new Set(password).size <= 2) violations.push({ path: 'password', message: 'trop peu de caractères différents' });
  return violations;
}
