import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiFoundResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { isAppError } from '@fcplat/common';
import { CITIZEN_FRANCECONNECT_PURPOSES, isPortalNoticeCode, type PortalNoticeCode } from '@fcplat/domain';
import { z } from 'zod';
import { cookieValue } from '../auth/auth.service.js';
import { Public, RequestId } from '../auth/decorators.js';
import type { TenantEntity } from '@fcplat/db';
import { CitizenSessionsService } from './citizen-sessions.service.js';
import { FranceConnectFlowError } from './franceconnect-flows.js';
import { PortalFranceConnectService, type CallbackOutcome } from './portal-franceconnect.service.js';
import { portalRequestContext } from './portal.controller.js';
import { PortalTenantsService } from './portal-tenants.service.js';
import { PortalRateLimiter } from './rate-limits.js';
import { RobotPassService } from './robot-pass.service.js';

/** `?purpose=`: why the citizen goes to FranceConnect (a browser redirect, outside the JSON contract). */
const franceConnectLoginQuerySchema = z.strictObject({ purpose: z.enum(CITIZEN_FRANCECONNECT_PURPOSES).default('login') });

/**
 * Holds the CODE of the notice of a flow that stopped while the browser goes through
 * FranceConnect's logout (FC-20); path-scoped to the logout callback of one portal.
 */
export const NOTICE_COOKIE = 'fcplat_notice';
const NOTICE_TTL_MS = 10 * 60 * 1000;
const MAX_QUERY_VALUE = 4096;

export const homePath = (slug: string): string => `/t/${slug}/`;
/**
 * Back to the portal's home page with a notice CODE only: the portal shows the sentence it owns
 * for it (`PORTAL_NOTICES` in @fcplat/domain), never a text taken from the address.
 */
export const noticePath = (slug: string, code: PortalNoticeCode): string => `/t/${slug}/?erreur=${encodeURIComponent(code)}`;
const logoutCallbackPath = (slug: string): string => `/t/${slug}/auth/franceconnect/logout/callback`;

/**
 * FranceConnect's browser routes, declared in FranceConnect's partner space (a contract: the
 * paths never change): login, callback, logout, logout callback. Every outcome is a redirect:
 * to FranceConnect, to the profile, or to the portal's home page with an `erreur` code (the
 * portal owns the French sentences) — through FranceConnect's logout first whenever the relying
 * party recommends it (FC-20, SR-03, SR-08): with the verified ID token as hint, or with the
 * client_id when the flow stopped before one (a tampered `state`, an ID token refused for its
 * `nonce`…), FranceConnect then asking the citizen to confirm. Rate-limited per IP and per
 * tenant (SR-12). The login and the callbacks are top-level GET navigations (the callbacks come
 * from FranceConnect); the logout, which ends a session, is a POST protected against CSRF.
 */
@ApiTags('portal-franceconnect')
@Public()
@Controller('t/:slug/auth/franceconnect')
export class FranceConnectController {
  constructor(
    private readonly tenants: PortalTenantsService,
    private readonly sessions: CitizenSessionsService,
    private readonly franceConnect: PortalFranceConnectService,
    private readonly limits: PortalRateLimiter,
    private readonly robotPasses: RobotPassService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('FranceConnectRoutes');
  }

  @Get('login')
  @ApiOperation({ summary: 'Starts a FranceConnect authorization (redirect to FranceConnect) for login, sign-up or data retrieval' })
  @ApiQuery({ name: 'purpose', required: false, enum: ['login', 'signup', 'data_retrieval'] })
  @ApiFoundResponse({ description: 'To FranceConnect, or to the portal’s home page with an `erreur` code' })
  async login(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const tenant = await this.tenants.requireActive(slug);
    noStore(res);
    try {
      await this.limits.franceConnect(tenant.id, (await this.robotPasses.passOf(req, tenant)) ? null : clientIp(req));
      const query = franceConnectLoginQuerySchema.safeParse(req.query);
      if (!query.success) throw new FranceConnectFlowError('requete_invalide', 'Lien de connexion invalide : recommencez depuis le portail.', false);
      const binding = this.sessions.binding(req, tenant, res) ?? '';
      const current = await this.currentSession(req, tenant);
      res.redirect(302, await this.franceConnect.start(tenant, binding, query.data.purpose, current, await this.robotPasses.environmentOf(req, tenant)));
    } catch (error) {
      await this.fail(req, res, tenant, error);
    }
  }

  @Get('callback')
  @ApiOperation({ summary: 'FranceConnect’s return (redirect_uri): verifies, opens the citizen’s session, redirects to the profile' })
  @ApiFoundResponse({ description: 'To the profile, or to the portal’s home page with an `erreur` code (through FranceConnect’s logout when recommended)' })
  async callback(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response, @RequestId() requestId: string | null): Promise<void> {
    const tenant = await this.tenants.requireActive(slug);
    noStore(res);
    try {
      await this.limits.franceConnect(tenant.id, (await this.robotPasses.passOf(req, tenant)) ? null : clientIp(req));
      const binding = this.sessions.binding(req, tenant, null);
      if (!binding) {
        throw new FranceConnectFlowError(
          'session_navigateur',
          'Votre connexion avec FranceConnect a expiré ou a commencé dans un autre navigateur. Recommencez depuis le portail.',
          false,
        );
      }
      const current = await this.currentSession(req, tenant);
      const environment = await this.robotPasses.environmentOf(req, tenant);
      const outcome = await this.franceConnect.callback(
        tenant,
        binding,
        stringQuery(req),
        current,
        portalRequestContext(req, requestId, this.sessions.cookieToken(req, tenant)),
        environment,
      );
      this.follow(res, tenant, outcome);
    } catch (error) {
      await this.fail(req, res, tenant, error);
    }
  }

  @Post('logout')
  @ApiOperation({
    summary: 'Ends the citizen’s session, then FranceConnect’s (end_session with id_token_hint) when it holds a FranceConnect authentication',
    description:
      'A POST, never a GET: an HTML form of the portal (`application/x-www-form-urlencoded` with the `csrf_token` field) or a call with `X-CSRF-Token`; ' +
      'the request must come from the platform’s origin (403 CSRF_REJECTED otherwise).',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiResponse({ status: 303, description: 'To FranceConnect’s logout, or to the portal’s home page' })
  async logout(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const tenant = await this.tenants.requireActive(slug);
    noStore(res);
    const token = this.sessions.cookieToken(req, tenant);
    const session = token ? await this.sessions.resolve(tenant.id, token) : null;
    const idToken = session?.fcAuthenticatedAt ? await this.sessions.idTokenOf(session) : null;
    await this.sessions.revokeToken(token);
    this.sessions.clearCookie(res, tenant);
    const binding = idToken ? (this.sessions.binding(req, tenant, res) ?? '') : '';
    const url = await this.franceConnect.logoutUrl(tenant, binding, idToken, await this.robotPasses.environmentOf(req, tenant));
    // 303: the browser follows with a GET (to FranceConnect's end_session, or home).
    res.redirect(303, url ?? homePath(tenant.slug));
  }

  @Get('logout/callback')
  @ApiOperation({ summary: 'FranceConnect’s return after logout (post_logout_redirect_uri): checks the state, back to the portal' })
  @ApiQuery({ name: 'state', required: true })
  @ApiFoundResponse({ description: 'To the portal’s home page (with the notice of a flow that stopped, if any)' })
  async logoutCallback(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const tenant = await this.tenants.requireActive(slug);
    noStore(res);
    const notice = readNotice(req);
    res.clearCookie(NOTICE_COOKIE, this.sessions.cookieOptions(logoutCallbackPath(tenant.slug)));
    try {
      await this.limits.franceConnect(tenant.id, (await this.robotPasses.passOf(req, tenant)) ? null : clientIp(req));
      const state = typeof req.query.state === 'string' && req.query.state.length <= MAX_QUERY_VALUE ? req.query.state : '';
      const binding = this.sessions.binding(req, tenant, null);
      if (!state || !binding) throw new FranceConnectFlowError('deconnexion_invalide', 'Retour de déconnexion FranceConnect invalide. Vous êtes déconnecté(e) du portail.', false);
      await this.franceConnect.completeLogout(tenant, binding, state, await this.robotPasses.environmentOf(req, tenant));
      res.redirect(302, notice ? noticePath(tenant.slug, notice) : homePath(tenant.slug));
    } catch (error) {
      // A logout state that does not check out: the session here is over all the same.
      const logoutState = error instanceof FranceConnectFlowError && error.code === 'state_invalid';
      await this.fail(req, res, tenant, logoutState ? new FranceConnectFlowError('deconnexion_non_verifiee', error.message, false) : error);
    }
  }

  // ---- internals ----

  private follow(res: Response, tenant: TenantEntity, outcome: CallbackOutcome): void {
    switch (outcome.kind) {
      case 'session':
        this.sessions.setCookie(res, tenant, outcome.token, outcome.expiresAt);
        res.redirect(302, outcome.path);
        return;
      case 'continue':
        res.redirect(302, outcome.path);
        return;
      case 'notice':
        res.redirect(302, noticePath(tenant.slug, outcome.code));
    }
  }

  /** A stopped flow: back home with a notice code, through FranceConnect's logout when recommended and possible. */
  private async fail(req: Request, res: Response, tenant: TenantEntity, error: unknown): Promise<void> {
    let code: PortalNoticeCode = 'erreur_technique';
    let logout: { hint: string | null } | null = null;
    if (error instanceof FranceConnectFlowError) {
      code = isPortalNoticeCode(error.code) ? error.code : 'erreur_technique';
      logout = error.logoutRecommended ? { hint: error.idToken } : null;
      this.logger.info({ tenantId: tenant.id, code: error.code }, 'FranceConnect flow stopped');
    } else if (isAppError(error) && error.code === 'RATE_LIMITED') {
      code = 'trop_de_tentatives';
    } else {
      this.logger.error({ err: error, tenantId: tenant.id }, 'FranceConnect route failed');
    }
    if (res.headersSent) return;
    if (logout) {
      // FC-20: back home through FranceConnect's logout (with the verified ID token as hint, or
      // the client_id when the flow stopped before one: FranceConnect asks the citizen).
      const binding = this.sessions.binding(req, tenant, res) ?? '';
      const url = await this.franceConnect.failureLogoutUrl(tenant, binding, logout.hint, await this.robotPasses.environmentOf(req, tenant));
      if (url) {
        res.cookie(NOTICE_COOKIE, code, { ...this.sessions.cookieOptions(logoutCallbackPath(tenant.slug)), maxAge: NOTICE_TTL_MS });
        res.redirect(302, url);
        return;
      }
    }
    res.redirect(302, noticePath(tenant.slug, code));
  }

  private async currentSession(req: Request, tenant: TenantEntity) {
    const token = this.sessions.cookieToken(req, tenant);
    return token ? this.sessions.resolve(tenant.id, token) : null;
  }
}

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The callback's query, single string values only (a repeated parameter is dropped, so the flow stops). */
function stringQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (typeof value === 'string' && key.length <= 64 && value.length <= MAX_QUERY_VALUE) out[key] = value;
  }
  return out;
}

/** The notice code waiting in the cookie; only a code of the portal's catalogue is kept. */
function readNotice(req: Request): PortalNoticeCode | null {
  const raw = cookieValue(req.headers, NOTICE_COOKIE);
  return raw && raw.length <= 64 && isPortalNoticeCode(raw) ? raw : null;
}
