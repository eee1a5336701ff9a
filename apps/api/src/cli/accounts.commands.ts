import type { CliCommand } from './command.js';

/** Commands about console accounts (first admin, API tokens). Owned by the accounts area. */
export const ACCOUNTS_COMMANDS: CliCommand[] = [];
