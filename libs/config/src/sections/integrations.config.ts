import { z } from 'zod';
import { parseSection, pick, url, type ConfigIssue, type Env } from '../env.js';

export const DEFAULT_COMPANY_DIRECTORY_URL = 'https://recherche-entreprises.api.gouv.fr';
/** Shortest webhook secret accepted: a short one would be guessable offline from one signed body. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

export interface IntegrationsConfig {
  /** Shared secret of the DataPass webhook (HMAC-SHA256 of the raw body). Null: webhooks are disabled. */
  readonly dataPassWebhookSecret: string | null;
  /** Base URL of the recherche-entreprises API (or its sandbox stand-in). */
  readonly companyDirectoryUrl: string;
}

export const INTEGRATIONS_VARIABLES = ['DATAPASS_WEBHOOK_SECRET', 'COMPANY_DIRECTORY_URL'] as const;

export function integrationsSection(env: Env, issues: ConfigIssue[]): IntegrationsConfig | undefined {
  const schema = z
    .object({
      DATAPASS_WEBHOOK_SECRET: z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).optional(),
      COMPANY_DIRECTORY_URL: url(['https:', 'http:']).default(DEFAULT_COMPANY_DIRECTORY_URL),
    })
    .transform((v) => ({ dataPassWebhookSecret: v.DATAPASS_WEBHOOK_SECRET ?? null, companyDirectoryUrl: v.COMPANY_DIRECTORY_URL.replace(/\/+$/, '') }));
  return parseSection(schema, pick(env, INTEGRATIONS_VARIABLES), issues);
}
