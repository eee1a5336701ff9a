import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { AccountsController, ApiTokensController, TenantAdminsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AccountCredentialsService } from './account-credentials.service.js';
import { LoginService } from './login.service.js';
import { SessionService } from './sessions.service.js';

/**
 * The accounts area: console login (password + TOTP), invitations, password resets, account
 * administration and personal API tokens. Resolving the caller of a request stays in auth/.
 */
@Module({
  imports: [MailModule],
  controllers: [AuthController, ApiTokensController, AccountsController, TenantAdminsController],
  providers: [SessionService, LoginService, AccountCredentialsService, AccountsService, ApiTokensService],
})
export class AccountsModule {}
