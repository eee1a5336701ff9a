import { Controller, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { MeView, NextStep, ParsedBodyOf, ResponseOf } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { SESSION_ABSOLUTE_MS } from '../auth/auth.service.js';
import { Allow, CurrentActor, Public, RequestId } from '../auth/decorators.js';
import { ContractBody, Endpoint } from '../http/endpoint.js';
import { AccountsService } from './accounts.service.js';
import { AccountCredentialsService } from './account-credentials.service.js';
import { LoginService } from './login.service.js';
import { requestContext } from './request-context.js';
import { PENDING_SESSION_MS, SessionService } from './sessions.service.js';

/**
 * Console authentication (SR-24, SR-11): password then TOTP, session cookie `fcplat_session`
 * (HttpOnly, SameSite=Lax, Path=/, Secure in production), a new session token after the second
 * factor. Only JSON bodies are accepted (415 otherwise) and no CORS is enabled, so a cross-site
 * form cannot drive these routes with the cookie.
 */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly credentials: AccountCredentialsService,
    private readonly sessions: SessionService,
    private readonly accounts: AccountsService,
  ) {}

  @Endpoint('login')
  @Public()
  @ApiOperation({ summary: 'Password step: sets a session cookie that only allows the TOTP step' })
  async passwordStep(
    @ContractBody('login') body: ParsedBodyOf<'login'>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ next: NextStep }> {
    const { token, next } = await this.login.login(body.email, body.password, requestContext(req, requestId));
    this.sessions.setCookie(res, token, PENDING_SESSION_MS);
    noStore(res);
    return { next };
  }

  @Endpoint('totp')
  @Public()
  @ApiOperation({ summary: 'TOTP step: completes the login with a new session token' })
  async totpStep(
    @ContractBody('totp') body: ParsedBodyOf<'totp'>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'authenticated' }> {
    const { token } = await this.login.completeTotp(body.code, requestContext(req, requestId));
    this.sessions.setCookie(res, token, SESSION_ABSOLUTE_MS);
    noStore(res);
    return { status: 'authenticated' };
  }

  @Endpoint('totpSetup')
  @Public()
  @ApiOperation({ summary: 'First login: a new TOTP secret as an otpauth URI and a QR code (after the password step)' })
  async totpSetup(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<ResponseOf<'totpSetup'>> {
    noStore(res);
    return this.login.startTotpSetup(requestContext(req, requestId));
  }

  @Endpoint('totpActivate')
  @Public()
  @ApiOperation({ summary: 'First login: confirms the authenticator with a code; completes the login with a new session token' })
  async totpActivate(
    @ContractBody('totpActivate') body: ParsedBodyOf<'totpActivate'>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'authenticated' }> {
    const { token } = await this.login.activateTotp(body.code, requestContext(req, requestId));
    this.sessions.setCookie(res, token, SESSION_ABSOLUTE_MS);
    noStore(res);
    return { status: 'authenticated' };
  }

  @Endpoint('logout')
  @Public()
  @ApiOperation({ summary: 'Ends the session of the cookie (complete or not) and clears the cookie' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = this.sessions.cookieToken(req.headers);
    if (token) await this.sessions.revokeToken(token);
    this.sessions.clearCookie(res);
  }

  @Endpoint('me')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Who is calling' })
  async me(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<MeView> {
    noStore(res);
    return this.accounts.me(actor);
  }

  @Endpoint('acceptInvitation')
  @Public()
  @ApiOperation({ summary: 'Activates an invited account with its e-mailed token and a password (at least 12 characters)' })
  async acceptInvitation(
    @ContractBody('acceptInvitation') body: ParsedBodyOf<'acceptInvitation'>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<{ email: string; next: 'login' }> {
    const { email } = await this.credentials.acceptInvitation(body.token, body.password, body.displayName, requestContext(req, requestId));
    return { email, next: 'login' };
  }

  @Endpoint('requestPasswordReset')
  @Public()
  @ApiOperation({ summary: 'Sends a password reset link (valid 1 hour) if the address belongs to an active account; same answer otherwise' })
  async requestReset(
    @ContractBody('requestPasswordReset') body: ParsedBodyOf<'requestPasswordReset'>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'accepted' }> {
    await this.credentials.requestPasswordReset(body.email, requestContext(req, requestId));
    return { status: 'accepted' };
  }

  @Endpoint('completePasswordReset')
  @Public()
  @ApiOperation({ summary: 'Sets a new password with the e-mailed token; every session of the account ends' })
  async completeReset(
    @ContractBody('completePasswordReset') body: ParsedBodyOf<'completePasswordReset'>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<void> {
    await this.credentials.completePasswordReset(body.token, body.password, requestContext(req, requestId));
  }
}

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}
