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

/** Bounds of one delivery: a slow or silent SMTP server must not hold a request or a job for long. */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/**
 * The options of every SMTP transport of the platform (nodemailer's shape; the API's mailer and the
 * worker's notifications): bounded waits, TLS ≥ 1.2 (SR-07), STARTTLS required in production for a
 * plain smtp:// server, no logging, no file or URL access from a message.
 */
export function smtpTransportOptions(smtpUrl: string, isProduction: boolean) {
  return {
    url: smtpUrl,
    ...SMTP_TIMEOUTS,
    requireTLS: isProduction && smtpUrl.startsWith('smtp:'),
    tls: { minVersion: 'TLSv1.2' as const },
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
