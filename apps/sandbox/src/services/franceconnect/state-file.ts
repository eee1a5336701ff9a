import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isRegisteredClient, type RegisteredClient } from './clients.js';
import { isSigningKeySet, type SigningJwk } from './keys.js';

/**
 * What survives a restart when a state file is configured: the registered clients and the
 * signing keys (so ID tokens kept by relying parties still verify as logout hints).
 */
export interface SandboxState {
  readonly clients: readonly RegisteredClient[];
  readonly signingKeys: readonly SigningJwk[];
}

interface StateFileContent {
  readonly version: 1;
  readonly clients: readonly RegisteredClient[];
  readonly signing_keys: readonly SigningJwk[];
}

/**
 * A JSON file written atomically (temporary file + rename), readable by its owner only since it
 * holds client secrets and private keys. A file that exists but cannot be read stops the start:
 * silently starting empty would lose every registered client at the next write.
 */
export class StateFile {
  constructor(readonly path: string) {}

  load(): SandboxState | undefined {
    if (!existsSync(this.path)) return undefined;
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`FranceConnect sandbox: cannot read the state file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    const state = content as Partial<StateFileContent> | null;
    if (typeof state !== 'object' || state === null || state.version !== 1 || !Array.isArray(state.clients) || !state.clients.every(isRegisteredClient)) {
      throw new Error(`FranceConnect sandbox: the state file ${this.path} is not a valid clients file (version 1)`);
    }
    if (!isSigningKeySet(state.signing_keys)) {
      throw new Error(`FranceConnect sandbox: the state file ${this.path} holds no valid signing keys`);
    }
    return { clients: state.clients, signingKeys: state.signing_keys };
  }

  save(state: SandboxState): void {
    const content: StateFileContent = { version: 1, clients: state.clients, signing_keys: state.signingKeys };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
