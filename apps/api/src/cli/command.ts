import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';

/** What a CLI command gets: configuration and the database on demand, and an output. */
export interface CliContext {
  config(): PlatformConfig;
  /** An initialised DataSource (schema checked up to date); closed by the CLI after the command. */
  dataSource(): Promise<DataSource>;
  out(line: string): void;
}

export interface CliCommand {
  /** `area:verb`, e.g. `accounts:create-admin`. */
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. Throw AppError for a clear message. */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

/** `--name value` / `--name=value` options of a command line. */
export function option(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === `--${name}`) return args[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}
