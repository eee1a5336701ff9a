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
  /**
   * Base URL of the sandbox FranceConnect service (its admin API registers tenants' clients, its
   * issuer is `<url>/api/v2`). Null: the "sandbox client" action is unavailable. Refused in
   * production unless ALLOW_CUSTOM_ENDPOINTS is true.
   */
  readonly sandboxFranceConnectUrl: string | null;
}

export const INTEGRATIONS_VARIABLES = ['DATAPASS_WEBHOOK_SECRET', 'COMPANY_DIRECTORY_URL', 'SANDBOX_FRANCECONNECT_URL'] as const;

export interface IntegrationsContext {
  readonly isProduction: boolean;
  /** ALLOW_CUSTOM_ENDPOINTS; `undefined` when that variable is itself invalid (reported there). */
  readonly allowCustomEndpoints: boolean | undefined;
}

export function integrationsSection(env: Env, issues: ConfigIssue[], context: IntegrationsContext = { isProduction: false, allowCustomEndpoints: false }): IntegrationsConfig | undefined {
  const schema = z
    .object({
      DATAPASS_WEBHOOK_SECRET: z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).optional(),
      COMPANY_DIRECTORY_URL: url(['https:', 'http:']).default(DEFAULT_COMPANY_DIRECTORY_URL),
      SANDBOX_FRANCECONNECT_URL: url(['https:', 'http:']).optional(),
    })
    .transform((v) => ({
      dataPassWebhookSecret: v.DATAPASS_WEBHOOK_SECRET ?? null,
      companyDirectoryUrl: v.COMPANY_DIRECTORY_URL.replace(/\/+$/, ''),
      sandboxFranceConnectUrl: v.SANDBOX_FRANCECONNECT_URL?.replace(/\/+$/, '') ?? null,
    }));
  const section = parseSection(schema, pick(env, INTEGRATIONS_VARIABLES), issues);
  if (section?.sandboxFranceConnectUrl && context.isProduction && context.allowCustomEndpoints === false) {
    issues.push({ variable: 'SANDBOX_FRANCECONNECT_URL', message: 'is a test facility: refused in production unless ALLOW_CUSTOM_ENDPOINTS=true' });
    return undefined;
  }
  return section;
}
