import { z } from 'zod';
import { parseSection, pick, url, type ConfigIssue, type Env } from '../env.js';

export interface MailConfig {
  /** smtp:// or smtps:// URL (may hold credentials: never log it). Null: mail is not configured. */
  readonly smtpUrl: string | null;
  readonly from: string;
}

export const MAIL_VARIABLES = ['SMTP_URL', 'MAIL_FROM'] as const;

export function mailSection(env: Env, isProduction: boolean, issues: ConfigIssue[]): MailConfig | undefined {
  const schema = z
    .object({
      SMTP_URL: isProduction ? url(['smtp:', 'smtps:']) : url(['smtp:', 'smtps:']).optional(),
      MAIL_FROM: isProduction
        ? z.string().regex(/^[^<>\n]*<[^@\s<>]+@[^@\s<>]+>$|^[^@\s<>]+@[^@\s<>]+$/, 'must be an address, e.g. "Plateforme <no-reply@example.fr>"')
        : z.string().default('fcplat <no-reply@fcplat.localhost>'),
    })
    .transform((v) => ({ smtpUrl: v.SMTP_URL ?? null, from: v.MAIL_FROM }));
  return parseSection(schema, pick(env, MAIL_VARIABLES), issues);
}
