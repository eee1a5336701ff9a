import { Module } from '@nestjs/common';
import { MailService } from './mail.service.js';

/** Outgoing e-mail (SMTP). */
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
