import { generateKey, SecretBox } from '@fcplat/crypto';
import type { CliCommand } from './command.js';
import { ENCRYPTED_COLUMNS, rotateSecrets, unregisteredCiphertextColumns } from './encrypted-columns.js';

/** Commands about the encryption keys of tenant secrets. */
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
  {
    name: 'secrets:rotate',
    summary: 'Re-encrypt every stored secret under SECRETS_ACTIVE_KEY (then the old keys can be removed)',
    usage: 'secrets:rotate [--dry-run]',
    async run(args, context) {
      const dryRun = args.includes('--dry-run');
      const box = new SecretBox(context.config().secrets.keyring);
      const dataSource = await context.dataSource();
      const unknown = await unregisteredCiphertextColumns(dataSource);
      if (unknown.length > 0) {
        context.out(
          `Refused: ${unknown.join(', ')} hold(s) ciphertexts but are neither in the rotation registry nor excluded with a reason (apps/api/src/cli/encrypted-columns.ts); nothing was re-encrypted.`,
        );
        return 1;
      }
      context.out(`${dryRun ? 'Dry run: counting' : 'Re-encrypting'} secrets not under the active key "${box.activeKeyId}"…`);
      const reports = await rotateSecrets(dataSource, box, ENCRYPTED_COLUMNS, { dryRun, out: context.out });
      let remaining = 0;
      for (const r of reports) {
        remaining += r.remaining;
        context.out(
          dryRun
            ? `${r.table}.${r.column}: ${r.examined} to re-encrypt, ${r.failed} not decryptable`
            : `${r.table}.${r.column}: ${r.rotated} re-encrypted, ${r.changedMeanwhile} changed meanwhile, ${r.failed} failed, ${r.remaining} remaining`,
        );
      }
      if (dryRun) return 0;
      if (remaining === 0) {
        context.out('Done: every secret is under the active key; keys other than it can now be removed from SECRETS_KEYS.');
        return 0;
      }
      context.out(`${remaining} secret(s) still under another key: run the command again; rows that failed must be re-entered (see above).`);
      return 1;
    },
  },
];
