/**
 * `npm run cli -- <command> [options]`: operator commands (first admin, API tokens, key rotation...).
 * Reads the same configuration as the API.
 */
import { isAppError } from '@fcplat/common';
import { loadConfigOrExit, type PlatformConfig } from '@fcplat/config';
import { createDataSource, pendingMigrations } from '@fcplat/db';
import type { DataSource } from 'typeorm';
import { ACCOUNTS_COMMANDS } from './accounts.commands.js';
import type { CliCommand, CliContext } from './command.js';
import { DEMO_COMMANDS } from './demo.commands.js';
import { SECRETS_COMMANDS } from './secrets.commands.js';

const COMMANDS: readonly CliCommand[] = [...ACCOUNTS_COMMANDS, ...SECRETS_COMMANDS, ...DEMO_COMMANDS];

function help(): string {
  return ['Usage: npm run cli -- <command> [options]', '', 'Commands:', ...COMMANDS.map((c) => `  ${c.usage.padEnd(70)} ${c.summary}`)].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`${name ? `Unknown command "${name}".\n\n` : ''}${help()}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  let config: PlatformConfig | undefined;
  let dataSource: DataSource | undefined;
  const context: CliContext = {
    config: () => (config ??= loadConfigOrExit('fcplat-cli')),
    dataSource: async () => {
      if (dataSource) return dataSource;
      const created = createDataSource(context.config().database, { applicationName: 'fcplat-cli' });
      await created.initialize();
      const pending = await pendingMigrations(created);
      if (pending.length > 0) {
        await created.destroy();
        throw new Error(`The database schema is not up to date (pending: ${pending.join(', ')}). Run \`npm run db:migrate\` first.`);
      }
      dataSource = created;
      return created;
    },
    out: (line) => process.stdout.write(`${line}\n`),
  };
  try {
    return await command.run(args, context);
  } finally {
    await dataSource?.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`cli: ${message}\n`);
    process.exit(1);
  },
);
