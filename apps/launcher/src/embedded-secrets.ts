import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '@fcplat/crypto';

export interface EmbeddedSecrets {
  readonly keys: string;
  readonly activeKey: string;
}

/**
 * The embedded mode's encryption key for tenant secrets: generated once, kept beside the data it
 * protects in `.data/secrets.json` (mode 0600, git-ignored), so a restart can still decrypt. For
 * a demo on one machine only; production passes SECRETS_KEYS from its own secret store.
 */
export function embeddedSecrets(dataDir: string): EmbeddedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedSecrets>;
    if (typeof parsed.keys === 'string' && typeof parsed.activeKey === 'string') return { keys: parsed.keys, activeKey: parsed.activeKey };
    throw new Error(`${file} is damaged: remove it only if no secret was stored yet`);
  }
  const secrets: EmbeddedSecrets = { keys: `embedded1:${generateKey()}`, activeKey: 'embedded1' };
  writeFileSync(file, `${JSON.stringify(secrets)}\n`, { mode: 0o600 });
  return secrets;
}

/**
 * The password of the embedded database's socket: generated once into `.data/database-password`
 * (mode 0600, git-ignored); the launcher passes it to the API, the worker and the CLI
 * (`.data/embedded.env`). A local client (psql) reads it from there.
 */
export function embeddedDatabasePassword(dataDir: string): string {
  const file = join(dataDir, 'database-password');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/.test(password)) return password;
    throw new Error(`${file} is damaged: remove it, it is generated again at the next start`);
  }
  const password = randomBytes(32).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
