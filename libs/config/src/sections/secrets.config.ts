import { Keyring, KeyringConfigError, parseKeyring } from '@fcplat/crypto';
import { pick, type ConfigIssue, type Env } from '../env.js';

export interface SecretsConfig {
  /** AES-256 keys for tenant secrets at rest (SR-21); never printed, never in the database. */
  readonly keyring: Keyring;
}

export const SECRETS_VARIABLES = ['SECRETS_KEYS', 'SECRETS_ACTIVE_KEY'] as const;

export function secretsSection(env: Env, issues: ConfigIssue[]): SecretsConfig | undefined {
  const raw = pick(env, SECRETS_VARIABLES);
  try {
    return { keyring: parseKeyring(raw.SECRETS_KEYS, raw.SECRETS_ACTIVE_KEY) };
  } catch (error) {
    if (!(error instanceof KeyringConfigError)) throw error;
    const variable = error.message.startsWith('SECRETS_ACTIVE_KEY') ? 'SECRETS_ACTIVE_KEY' : 'SECRETS_KEYS';
    issues.push({ variable, message: error.message.replace(/^SECRETS_(KEYS|ACTIVE_KEY) /, '') });
    return undefined;
  }
}
