import { Controller, Header, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type {
  CitizenLoginInput,
  CitizenSignupInput,
  CitizenView,
  DataRetrievalConfirmation,
  DataRetrievalStart,
  ParsedQueryOf,
  PatchCitizenInput,
  PortalView,
  RedirectView,
  ResponseOf,
  SignupConfirmationInput,
} from '@fcplat/contract';
import type { TenantEntity } from '@fcplat/db';
import { Public, RequestId } from '../auth/decorators.js';
import { ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { CitizenSessionGuard, CurrentCitizen, type CitizenContext } from './citizen-session.guard.js';
import { CitizenSessionsService } from './citizen-sessions.service.js';
import { CitizensService, type NewSession, type PortalRequestContext } from './citizens.service.js';
import { DataRetrievalService } from './data-retrieval.service.js';
import { RobotPassService } from './robot-pass.service.js';
import { PortalFranceConnectService } from './portal-franceconnect.service.js';
import { PortalTenantsService, TENANT_SETTINGS_TABLES } from './portal-tenants.service.js';
import { ChangeFeed, InvalidatedCache } from '../infrastructure/change-feed.js';
import { LiveEnvironmentsService } from '../tenants/live-environments.service.js';

type FranceConnectStatus = Awaited<ReturnType<LiveEnvironmentsService['franceConnectStatus']>>;
import { portalView } from './views.js';

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
@Controller()
export class PortalController {
  /** The live FranceConnect environment of each tenant and whether it is usable, cached (see {@link PortalTenantsService}). */
  private readonly statuses: InvalidatedCache<string, FranceConnectStatus>;

  constructor(
    private readonly tenants: PortalTenantsService,
    private readonly citizens: CitizensService,
    private readonly sessions: CitizenSessionsService,
    private readonly franceConnect: PortalFranceConnectService,
    private readonly retrieval: DataRetrievalService,
    private readonly environments: LiveEnvironmentsService,
    private readonly robotPasses: RobotPassService,
    feed: ChangeFeed,
  ) {
    this.statuses = new InvalidatedCache(feed, { tables: TENANT_SETTINGS_TABLES, maxEntries: 5_000, ttlMs: 5 * 60 * 1000 });
  }

  @Endpoint('portal')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The portal of a tenant: name, branding and the FranceConnect modes it offers (404 for an unknown or suspended tenant)' })
  async portal(@Param('slug') slug: string): Promise<PortalView> {
    const tenant = await this.tenants.requireActive(slug);
    // Every citizen's visit starts here: the FranceConnect status is cached like the tenant (PortalTenantsService).
    const status = await this.statuses.get(tenant.id, async (tenantId) => ({ value: await this.environments.franceConnectStatus(tenantId), dependsOn: tenantId }));
    return portalView(tenant, status);
  }

  @Endpoint('portalSignup')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign-up with e-mail and password (at least 12 characters): an activation link is e-mailed (24 hours)',
    description:
      'The answer is the same whether or not the address already has an account on this portal (no enumeration): a new address gets ' +
      'an activation link, an address with an account a message saying so. Nothing is created and nobody is logged in until ' +
      '`POST …/signup/confirm`. 503 when no mail server is configured.',
  })
  async signup(
    @Param('slug') slug: string,
    @ContractBody('portalSignup') body: CitizenSignupInput,
    @Req() req: Request,
    @RequestId() requestId: string | null,
  ): Promise<ResponseOf<'portalSignup'>> {
    const tenant = await this.tenants.requireActive(slug);
    await this.citizens.signup(tenant, body, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return { status: 'check_inbox' };
  }

  @Endpoint('portalConfirmSignup')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Activates the account of a sign-up with the token of its e-mailed link (once, within 24 hours); logs in (new session cookie)', description: SESSION_NOTE })
  async confirmSignup(
    @Param('slug') slug: string,
    @ContractBody('portalConfirmSignup') body: SignupConfirmationInput,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    const tenant = await this.tenants.requireActive(slug);
    const created = await this.citizens.confirmSignup(tenant, body.token, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return this.loggedIn(req, res, tenant, created);
  }

  @Endpoint('portalLogin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Login with e-mail and password (new session cookie; rate-limited per IP and per tenant)', description: SESSION_NOTE })
  async login(
    @Param('slug') slug: string,
    @ContractBody('portalLogin') body: CitizenLoginInput,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    const tenant = await this.tenants.requireActive(slug);
    const session = await this.citizens.login(tenant, body, portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)));
    return this.loggedIn(req, res, tenant, session);
  }

  @Endpoint('portalLogout')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Ends the session; `redirect` is FranceConnect’s logout URL when the session holds a FranceConnect authentication (SR-10), else null',
    description: SESSION_NOTE,
  })
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

  @Endpoint('portalMe')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The logged-in citizen (401 when not logged in on this portal)', description: SESSION_NOTE })
  me(@CurrentCitizen() citizen: CitizenContext): Promise<CitizenView> {
    return this.citizens.me(citizen);
  }

  @Endpoint('portalUpdateMe')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Edits the usage name and the e-mail; the pivot identity only when typed by the citizen (400 when it comes from FranceConnect, FC-15)',
    description: SESSION_NOTE,
  })
  update(
    @CurrentCitizen() citizen: CitizenContext,
    @ContractBody('portalUpdateMe') body: PatchCitizenInput,
    @RequestId() requestId: string | null,
  ): Promise<CitizenView> {
    return this.citizens.update(citizen, body, requestId);
  }

  @Endpoint('portalDeleteMe')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Deletes the account and ends the session; `redirect` is FranceConnect’s logout URL when applicable (FC-12)', description: SESSION_NOTE })
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

  @Endpoint('portalConfirmReconciliation')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Links the FranceConnect identity waiting in `pendingReconciliation` to this account (FC-11)', description: SESSION_NOTE })
  confirmReconciliation(@CurrentCitizen() citizen: CitizenContext, @RequestId() requestId: string | null): Promise<CitizenView> {
    return this.citizens.confirmReconciliation(citizen, requestId);
  }

  @Endpoint('portalRejectReconciliation')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Declines the link of the FranceConnect identity waiting in `pendingReconciliation`', description: SESSION_NOTE })
  rejectReconciliation(@CurrentCitizen() citizen: CitizenContext, @RequestId() requestId: string | null): Promise<CitizenView> {
    return this.citizens.rejectReconciliation(citizen, requestId);
  }

  @Endpoint('portalStartDataRetrieval')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: '« Récupérer mes données avec FranceConnect »: confirm_required within the 30-minute FranceConnect session of this account, else a redirect to FranceConnect',
    description: SESSION_NOTE,
  })
  dataRetrieval(@CurrentCitizen() citizen: CitizenContext): Promise<DataRetrievalStart> {
    return this.franceConnect.dataRetrievalStart(citizen);
  }

  @Endpoint('portalConfirmDataRetrieval')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The citizen confirms the data retrieval within the FranceConnect session (403 with `redirect` once it is over)', description: SESSION_NOTE })
  confirmDataRetrieval(@CurrentCitizen() citizen: CitizenContext): Promise<DataRetrievalConfirmation> {
    return this.franceConnect.dataRetrievalConfirm(citizen);
  }

  @Endpoint('portalDataRetrievalResults')
  @UseGuards(CitizenSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The citizen’s latest retrieved data per API (last 30 minutes): values, what they are used for, or why they are missing', description: SESSION_NOTE })
  async dataRetrievalResults(
    @CurrentCitizen() citizen: CitizenContext,
    @ContractQuery('portalDataRetrievalResults') query: ParsedQueryOf<'portalDataRetrievalResults'>,
  ): Promise<ResponseOf<'portalDataRetrievalResults'>> {
    return { results: await this.retrieval.latest(citizen, query.wait ?? false) };
  }

  private async loggedIn(req: Request, res: Response, tenant: TenantEntity, session: NewSession): Promise<CitizenView> {
    this.sessions.setCookie(res, tenant, session.token, session.expiresAt);
    const resolved = await this.sessions.resolve(tenant.id, session.token);
    if (!resolved) throw new Error('new session not found');
    return this.citizens.me({ tenant, session: resolved, token: session.token, binding: this.sessions.binding(req, tenant, null) });
  }
}
