import { generateKey } from '@fcplat/crypto';
import type { CliCommand } from './command.js';

/** Commands about the encryption keys of tenant secrets. `secrets:rotate` is added by the tenants area. */
export const SECRETS_COMMANDS: CliCommand[] = [
  {
    name: 'secrets:generate-key',
    summary: 'Print a new random AES-256 key to add to SECRETS_KEYS',
    usage: 'secrets:generate-key [--id k2026a]',
    async run(args, context) {
      const idIndex = args.indexOf('--id');
      const id = idIndex >= 0 ? args[idIndex + 1] : `k${new Date().getFullYear()}${Math.random().toString(36).slice(2, 4)}`;
      context.out(`${id}:${generateKey()}`);
      return 0;
    },
  },
];
