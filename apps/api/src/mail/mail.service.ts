import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createTransport, type Transporter } from 'nodemailer';
import { AppError } from '@fcplat/common';
import { smtpTransportOptions, type PlatformConfig } from '@fcplat/config';
import { PLATFORM_CONFIG } from '../infrastructure/tokens.js';

/** One e-mail: plain text always, HTML optionally (both in French for users). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export { SMTP_TIMEOUTS } from '@fcplat/config';

const NOT_CONFIGURED = 'L’envoi d’e-mails n’est pas configuré sur cette plateforme (variable SMTP_URL). Contactez l’exploitant.';
const SEND_FAILED = 'Le serveur d’e-mails n’a pas pu être joint ; réessayez dans quelques instants.';

/**
 * Sends the platform's e-mails (invitations, password resets) through the SMTP server of
 * `SMTP_URL`. Nothing about a message is logged but its outcome: links carry single-use tokens,
 * and the SMTP URL may hold credentials.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(MailService.name);
  }

  /** Whether an SMTP server is configured at all. */
  get configured(): boolean {
    return this.config.mail.smtpUrl !== null;
  }

  /** Throws DEPENDENCY_UNAVAILABLE when no SMTP server is configured (check before writing anything). */
  assertConfigured(): void {
    if (!this.configured) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: NOT_CONFIGURED });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const transport = this.transportOrThrow();
    try {
      await transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    } catch (error) {
      // The error's message may quote the server's answer but never our message body; keep only its code.
      const code = typeof error === 'object' && error && 'code' in error ? String((error as { code: unknown }).code) : 'unknown';
      this.logger.warn({ code }, 'e-mail not delivered to the SMTP server');
      throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: SEND_FAILED });
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.transport = null;
  }

  private transportOrThrow(): Transporter {
    const smtpUrl = this.config.mail.smtpUrl;
    if (smtpUrl === null) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: NOT_CONFIGURED });
    // In production a plain smtp:// server must upgrade with STARTTLS; TLS below 1.2 is refused (SR-07).
    this.transport ??= createTransport(smtpTransportOptions(smtpUrl, this.config.isProduction));
    return this.transport;
  }
}
