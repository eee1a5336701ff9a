import { createTransport, type Transporter } from 'nodemailer';
import { smtpTransportOptions, type PlatformConfig } from '@fcplat/config';
import type { NotificationMail } from './mails.js';

/** Where notification e-mails go: the platform's SMTP server (`SMTP_URL`), or nowhere when none is configured. */
export interface MailSender {
  readonly configured: boolean;
  send(mail: NotificationMail): Promise<void>;
  close(): void;
}

/** Thrown when the SMTP server did not take a message; the job is retried. Only the error's code is kept (never a message body). */
export class MailNotDelivered extends Error {
  constructor(readonly code: string) {
    super(`MAIL_NOT_DELIVERED: the SMTP server did not take the message (${code})`);
    this.name = 'MailNotDelivered';
  }
}

export class SmtpMailSender implements MailSender {
  private transport: Transporter | null = null;

  constructor(private readonly config: Pick<PlatformConfig, 'mail' | 'isProduction'>) {}

  get configured(): boolean {
    return this.config.mail.smtpUrl !== null;
  }

  async send(mail: NotificationMail): Promise<void> {
    const smtpUrl = this.config.mail.smtpUrl;
    if (smtpUrl === null) throw new MailNotDelivered('not_configured');
    this.transport ??= createTransport(smtpTransportOptions(smtpUrl, this.config.isProduction));
    try {
      await this.transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    } catch (error) {
      throw new MailNotDelivered(typeof error === 'object' && error && 'code' in error ? String((error as { code: unknown }).code) : 'unknown');
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}
