import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { SESSION_ABSOLUTE_MS } from '../auth/auth.service.js';
import { Allow, CurrentActor, Public, RequestId } from '../auth/decorators.js';
import { ZodPipe, openApiSchema } from '../http/validation.js';
import { AccountsService } from './accounts.service.js';
import { AccountCredentialsService } from './account-credentials.service.js';
import { LoginService, type NextStep } from './login.service.js';
import { requestContext } from './request-context.js';
import {
  acceptInvitationSchema,
  loginSchema,
  passwordResetCompleteSchema,
  passwordResetRequestSchema,
  totpCodeBodySchema,
} from './schemas.js';
import { PENDING_SESSION_MS, SessionService } from './sessions.service.js';
import { USER_VIEW_SCHEMA, type UserView } from './views.js';

const NEXT_SCHEMA = {
  type: 'object',
  required: ['next'],
  properties: { next: { type: 'string', enum: ['totp', 'totp_setup'], description: 'The second-factor step to call next' } },
};
const LOGGED_IN_SCHEMA = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['authenticated'] } } };

/**
 * Console authentication (SR-24, SR-11): password then TOTP, session cookie `fcplat_session`
 * (HttpOnly, SameSite=Lax, Path=/, Secure in production), a new session token after the second
 * factor. Only JSON bodies are accepted (415 otherwise) and no CORS is enabled, so a cross-site
 * form cannot drive these routes with the cookie.
 */
@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly credentials: AccountCredentialsService,
    private readonly sessions: SessionService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Password step: sets a session cookie that only allows the TOTP step' })
  @ApiBody({ schema: openApiSchema(loginSchema) })
  @ApiOkResponse({ schema: NEXT_SCHEMA })
  async passwordStep(
    @Body(new ZodPipe(loginSchema)) body: z.output<typeof loginSchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ next: NextStep }> {
    const { token, next } = await this.login.login(body.email, body.password, requestContext(req, requestId));
    this.sessions.setCookie(res, token, PENDING_SESSION_MS);
    noStore(res);
    return { next };
  }

  @Post('totp')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'TOTP step: completes the login with a new session token' })
  @ApiBody({ schema: openApiSchema(totpCodeBodySchema) })
  @ApiOkResponse({ schema: LOGGED_IN_SCHEMA })
  async totpStep(
    @Body(new ZodPipe(totpCodeBodySchema)) body: z.output<typeof totpCodeBodySchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'authenticated' }> {
    const { token } = await this.login.completeTotp(body.code, requestContext(req, requestId));
    this.sessions.setCookie(res, token, SESSION_ABSOLUTE_MS);
    noStore(res);
    return { status: 'authenticated' };
  }

  @Post('totp/setup')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'First login: a new TOTP secret as an otpauth URI and a QR code (after the password step)' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['otpauthUri', 'qrCodeDataUrl', 'secret'],
      properties: {
        otpauthUri: { type: 'string', example: 'otpauth://totp/fcplat:jeanne%40example.fr?secret=…&issuer=fcplat' },
        qrCodeDataUrl: { type: 'string', description: 'PNG image as a data: URL' },
        secret: { type: 'string', description: 'Base32 secret, for manual entry in the authenticator app' },
      },
    },
  })
  async totpSetup(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }> {
    noStore(res);
    return this.login.startTotpSetup(requestContext(req, requestId));
  }

  @Post('totp/activate')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'First login: confirms the authenticator with a code; completes the login with a new session token' })
  @ApiBody({ schema: openApiSchema(totpCodeBodySchema) })
  @ApiOkResponse({ schema: LOGGED_IN_SCHEMA })
  async totpActivate(
    @Body(new ZodPipe(totpCodeBodySchema)) body: z.output<typeof totpCodeBodySchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'authenticated' }> {
    const { token } = await this.login.activateTotp(body.code, requestContext(req, requestId));
    this.sessions.setCookie(res, token, SESSION_ABSOLUTE_MS);
    noStore(res);
    return { status: 'authenticated' };
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Ends the session of the cookie (complete or not) and clears the cookie' })
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = this.sessions.cookieToken(req.headers);
    if (token) await this.sessions.revokeToken(token);
    this.sessions.clearCookie(res);
  }

  @Get('me')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Who is calling' })
  @ApiOkResponse({
    schema: { ...USER_VIEW_SCHEMA, required: [...USER_VIEW_SCHEMA.required, 'via'], properties: { ...USER_VIEW_SCHEMA.properties, via: { type: 'string', enum: ['session', 'api_token'] } } },
  })
  async me(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<UserView & { via: Actor['via'] }> {
    noStore(res);
    return this.accounts.me(actor);
  }

  @Post('invitations/accept')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Activates an invited account with its e-mailed token and a password (at least 12 characters)' })
  @ApiBody({ schema: openApiSchema(acceptInvitationSchema) })
  @ApiOkResponse({ schema: { type: 'object', required: ['email', 'next'], properties: { email: { type: 'string' }, next: { type: 'string', enum: ['login'] } } } })
  async acceptInvitation(
    @Body(new ZodPipe(acceptInvitationSchema)) body: z.output<typeof acceptInvitationSchema>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<{ email: string; next: 'login' }> {
    const { email } = await this.credentials.acceptInvitation(body.token, body.password, body.displayName, requestContext(req, requestId));
    return { email, next: 'login' };
  }

  @Post('password-reset/request')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Sends a password reset link (valid 1 hour) if the address belongs to an active account; same answer otherwise' })
  @ApiBody({ schema: openApiSchema(passwordResetRequestSchema) })
  @ApiAcceptedResponse({ schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['accepted'] } } } })
  async requestReset(
    @Body(new ZodPipe(passwordResetRequestSchema)) body: z.output<typeof passwordResetRequestSchema>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<{ status: 'accepted' }> {
    await this.credentials.requestPasswordReset(body.email, requestContext(req, requestId));
    return { status: 'accepted' };
  }

  @Post('password-reset/complete')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sets a new password with the e-mailed token; every session of the account ends' })
  @ApiBody({ schema: openApiSchema(passwordResetCompleteSchema) })
  @ApiNoContentResponse()
  async completeReset(
    @Body(new ZodPipe(passwordResetCompleteSchema)) body: z.output<typeof passwordResetCompleteSchema>,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<void> {
    await this.credentials.completePasswordReset(body.token, body.password, requestContext(req, requestId));
  }
}

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}
