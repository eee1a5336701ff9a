import { z } from 'zod';

/** Raw environment as read from `process.env` (or a test's object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** One problem with one environment variable. The message never repeats the value. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Picks the named variables out of `env`; empty strings count as unset so that `FOO=` in a
 * compose file does not smuggle in an empty value.
 */
export function pick(env: Env, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = env[name];
    out[name] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  return out;
}

/**
 * Parses one section: `schema`'s keys are the variable names, so every issue names the
 * variable. Values are never echoed back (they may be secrets).
 */
export function parseSection<T>(schema: z.ZodType<T>, raw: Record<string, unknown>, issues: ConfigIssue[]): T | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const variable = typeof issue.path[0] === 'string' ? issue.path[0] : '(configuration)';
    const missing = issue.code === 'invalid_type' && raw[variable] === undefined;
    const message = missing ? 'is required' : issue.message;
    issues.push({ variable, message });
  }
  return undefined;
}

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export function boundedInt(min: number, max: number) {
  return z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export function url(protocols: readonly string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}
