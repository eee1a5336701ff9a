import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { TenantEntity } from '@fcplat/db';
import { Public, RequestId } from '../auth/decorators.js';
import type { z } from 'zod';
import { ZodPipe, openApiSchema } from '../http/validation.js';
import { ApiQueryFrom } from '../onboarding/openapi.js';
import { CitizenSessionGuard, CurrentCitizen, type CitizenContext } from './citizen-session.guard.js';
import { CitizenSessionsService } from './citizen-sessions.service.js';
import { CitizensService, type NewSession, type PortalRequestContext } from './citizens.service.js';
import { DataRetrievalService, type RetrievedData } from './data-retrieval.service.js';
import { RobotPassService } from './robot-pass.service.js';
import { PortalFranceConnectService } from './portal-franceconnect.service.js';
import { PortalTenantsService } from './portal-tenants.service.js';
import { LiveEnvironmentsService } from '../tenants/live-environments.service.js';
import {
  citizenLoginSchema,
  citizenSignupSchema,
  dataRetrievalResultsQuerySchema,
  patchCitizenSchema,
  signupConfirmationSchema,
  type SignupConfirmationInput,
  type CitizenLoginInput,
  type CitizenSignupInput,
  type PatchCitizenInput,
} from './schemas.js';
import {
  CITIZEN_VIEW_SCHEMA,
  DATA_RETRIEVAL_CONFIRMATION_SCHEMA,
  DATA_RETRIEVAL_RESULTS_SCHEMA,
  DATA_RETRIEVAL_START_SCHEMA,
  PORTAL_VIEW_SCHEMA,
  REDIRECT_VIEW_SCHEMA,
  SIGNUP_REQUESTED_SCHEMA,
  portalView,
  type CitizenView,
  type DataRetrievalConfirmation,
  type DataRetrievalStart,
  type PortalView,
  type RedirectView,
  type SignupRequested,
} from './views.js';

export function portalRequestContext(req: Request, requestId: string | null, previousToken: string | null): PortalRequestContext {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.headers['user-agent'], requestId, previousToken };
}

const SESSION_NOTE =
  'Citizen routes authenticate with the session cookie of THIS portal, `fcplat_citizen_{slug}` (`__Host-` prefixed over https; a session of another tenant gets 401); ' +
  'they are not console routes (no API token, no console session). With that cookie, every write needs `Origin` = the platform’s and `X-CSRF-Token` (403 CSRF_REJECTED otherwise).';

/**
 * The citizen portal's API (`/api/portal/{slug}/...`). Public for the console's guard: citizens
 * are not console users; {@link CitizenSessionGuard} authenticates them where a session is needed.
 */
@ApiTags('portal')
@Public()
@Controller('api/portal/:slug')
export class PortalController {
  constructor(
    private readonly tenants: PortalTenantsService,
    private readonly citizens: CitizensService,
    private readonly sessions: CitizenSessionsService,
    private readonly franceConnect: PortalFranceConnectService,
    private readonly retrieval: DataRetrievalService,
    private readonly environments: LiveEnvironmentsService,
    private readonly robotPasses: RobotPassService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The portal of a tenant: name, branding and the FranceConnect modes it offers (404 for an unknown or suspended tenant)' })
  @ApiOkResponse({ schema: PORTAL_VIEW_SCHEMA })
  async portal(@Param('slug') slug: string): Promise<PortalView> {
    const tenant = await this.tenants.requireActive(slug);
    return portalView(tenant, await this.environments.franceConnectStatus(tenant.id));
  }

  @Post('signup')
  @HttpCode(HttpStatus.ACCEPTED)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign-up with e-mail and password (at least 12 characters): an activation link is e-mailed (24 hours)',
    description:
      'The answer is the same whether or not the address already has an account on this portal (no enumeration): a new address gets ' +
      'an activation link, an address with an account a message saying so. Nothing is created and nobody is logged in until ' +
      '`POST …/signup/confirm`. 503 when no mail server is configured.',
  })
  @ApiBody({ schema: openApiSchema(citizenSignupSchema) })
  @ApiAcceptedResponse({ schema: SIGNUP_REQUESTED_SCHEMA })
  async signup(
    @Param('slug') slug: string,
    @Body(new ZodPipe(citizenSignupSchema)) body: CitizenSignupInput,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<SignupRequested> {
    const tenant = await this.tenants.requireActive(slug);
    await this.citizens.signup(tenant, body, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return { status: 'check_inbox' };
  }

  @Post('signup/confirm')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Activates the account of a sign-up with the token of its e-mailed link (once, within 24 hours); logs in (new session cookie)', description: SESSION_NOTE })
  @ApiBody({ schema: openApiSchema(signupConfirmationSchema) })
  @ApiCreatedResponse({ schema: CITIZEN_VIEW_SCHEMA })
  async confirmSignup(
    @Param('slug') slug: string,
    @Body(new ZodPipe(signupConfirmationSchema)) body: SignupConfirmationInput,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    const tenant = await this.tenants.requireActive(slug);
    const created = await this.citizens.confirmSignup(tenant, body.token, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return this.loggedIn(req, res, tenant, created);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Login with e-mail and password (new session cookie; rate-limited per IP and per tenant)', description: SESSION_NOTE })
  @ApiBody({ schema: openApiSchema(citizenLoginSchema) })
  @ApiOkResponse({ schema: CITIZEN_VIEW_SCHEMA })
  async login(
    @Param('slug') slug: string,
    @Body(new ZodPipe(citizenLoginSchema)) body: CitizenLoginInput,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    const tenant = await this.tenants.requireActive(slug);
    const session = await this.citizens.login(tenant, body, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return this.loggedIn(req, res, tenant, session);
  }

  @Post('logout')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Ends the session; `redirect` is FranceConnect’s logout URL when the session holds a FranceConnect authentication (SR-10), else null',
    description: SESSION_NOTE,
  })
  @ApiOkResponse({ schema: REDIRECT_VIEW_SCHEMA })
  async logout(@Param('slug') slug: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RedirectView> {
    const tenant = await this.tenants.requireActive(slug);
    const token = this.sessions.cookieToken(req, tenant);
    const session = token ? await this.sessions.resolve(tenant.id, token) : null;
    this.sessions.clearCookie(res, tenant);
    if (!token || !session) {
      await this.sessions.revokeToken(token);
      return { redirect: null };
    }
    const { idToken } = await this.citizens.logout({ tenant, session, token, binding: null });
    const binding = this.sessions.binding(req, tenant, idToken ? res : null);
    return { redirect: binding ? await this.franceConnect.logoutUrl(tenant, binding, idToken, await this.robotPasses.environmentOf(req, tenant)) : null };
  }

  @Get('me')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The logged-in citizen (401 when not logged in on this portal)', description: SESSION_NOTE })
  @ApiOkResponse({ schema: CITIZEN_VIEW_SCHEMA })
  me(@CurrentCitizen() citizen: CitizenContext): Promise<CitizenView> {
    return this.citizens.me(citizen);
  }

  @Patch('me')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Edits the usage name and the e-mail; the pivot identity only when typed by the citizen (400 when it comes from FranceConnect, FC-15)',
    description: SESSION_NOTE,
  })
  @ApiBody({ schema: openApiSchema(patchCitizenSchema) })
  @ApiOkResponse({ schema: CITIZEN_VIEW_SCHEMA })
  update(
    @CurrentCitizen() citizen: CitizenContext,
    @Body(new ZodPipe(patchCitizenSchema)) body: PatchCitizenInput,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    return this.citizens.update(citizen, body, requestId);
  }

  @Delete('me')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Deletes the account and ends the session; `redirect` is FranceConnect’s logout URL when applicable (FC-12)', description: SESSION_NOTE })
  @ApiOkResponse({ schema: REDIRECT_VIEW_SCHEMA })
  async remove(
    @CurrentCitizen() citizen: CitizenContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<RedirectView> {
    const { idToken } = await this.citizens.remove(citizen, requestId);
    this.sessions.clearCookie(res, citizen.tenant);
    const binding = this.sessions.binding(req, citizen.tenant, idToken ? res : null);
    return {
      redirect: binding ? await this.franceConnect.logoutUrl(citizen.tenant, binding, idToken, await this.robotPasses.environmentOf(req, citizen.tenant)) : null,
    };
  }

  @Post('reconciliation/confirm')
  @UseGuards(CitizenSessionGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Links the FranceConnect identity waiting in `pendingReconciliation` to this account (FC-11)', description: SESSION_NOTE })
  @ApiOkResponse({ schema: CITIZEN_VIEW_SCHEMA })
  confirmReconciliation(@CurrentCitizen() citizen: CitizenContext, @RequestId() requestId: string | null): Promise<CitizenView> {
    return this.citizens.confirmReconciliation(citizen, requestId);
  }

  @Post('reconciliation/reject')
  @UseGuards(CitizenSessionGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Declines the link of the FranceConnect identity waiting in `pendingReconciliation`', description: SESSION_NOTE })
  @ApiOkResponse({ schema: CITIZEN_VIEW_SCHEMA })
  rejectReconciliation(@CurrentCitizen() citizen: CitizenContext, @RequestId() requestId: string | null): Promise<CitizenView> {
    return this.citizens.rejectReconciliation(citizen, requestId);
  }

  @Post('data-retrieval')
  @UseGuards(CitizenSessionGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: '« Récupérer mes données avec FranceConnect »: confirm_required within the 30-minute FranceConnect session of this account, else a redirect to FranceConnect',
    description: SESSION_NOTE,
  })
  @ApiOkResponse({ schema: DATA_RETRIEVAL_START_SCHEMA })
  dataRetrieval(@CurrentCitizen() citizen: CitizenContext): Promise<DataRetrievalStart> {
    return this.franceConnect.dataRetrievalStart(citizen);
  }

  @Post('data-retrieval/confirm')
  @UseGuards(CitizenSessionGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The citizen confirms the data retrieval within the FranceConnect session (403 with `redirect` once it is over)', description: SESSION_NOTE })
  @ApiOkResponse({ schema: DATA_RETRIEVAL_CONFIRMATION_SCHEMA })
  confirmDataRetrieval(@CurrentCitizen() citizen: CitizenContext): Promise<DataRetrievalConfirmation> {
    return this.franceConnect.dataRetrievalConfirm(citizen);
  }

  @Get('data-retrieval/results')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The citizen’s latest retrieved data per API (last 30 minutes): values, what they are used for, or why they are missing', description: SESSION_NOTE })
  @ApiOkResponse({ schema: DATA_RETRIEVAL_RESULTS_SCHEMA })
  @ApiQueryFrom(dataRetrievalResultsQuerySchema)
  async dataRetrievalResults(
    @CurrentCitizen() citizen: CitizenContext,
    @Query(new ZodPipe(dataRetrievalResultsQuerySchema)) query: z.output<typeof dataRetrievalResultsQuerySchema>,
  ): Promise<{ results: RetrievedData[] }> {
    return { results: await this.retrieval.latest(citizen, query.wait ?? false) };
  }

  private async loggedIn(req: Request, res: Response, tenant: TenantEntity, session: NewSession): Promise<CitizenView> {
    this.sessions.setCookie(res, tenant, session.token, session.expiresAt);
    const resolved = await this.sessions.resolve(tenant.id, session.token);
    if (!resolved) throw new Error('new session not found');
    return this.citizens.me({ tenant, session: resolved, token: session.token, binding: this.sessions.binding(req, tenant, null) });
  }
}
