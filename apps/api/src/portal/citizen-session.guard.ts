import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@fcplat/common';
import type { CitizenSessionEntity, TenantEntity } from '@fcplat/db';
import { CitizenSessionsService } from './citizen-sessions.service.js';
import { PortalTenantsService } from './portal-tenants.service.js';

/** The logged-in citizen of a portal request. */
export interface CitizenContext {
  readonly tenant: TenantEntity;
  readonly session: CitizenSessionEntity;
  /** The raw cookie token (to revoke the session). */
  readonly token: string;
  /** Hash of the browser-binding cookie, if the browser has one. */
  readonly binding: string | null;
}

type PortalRequest = Request & { citizen?: CitizenContext };

export const NOT_LOGGED_IN = 'Vous n’êtes pas connecté(e) à ce portail, ou votre session a expiré : connectez-vous.';

/**
 * Authenticates the citizen of `/api/portal/{slug}/...` routes (they are `@Public` for the
 * console's guard): the tenant of the slug must be active (404 otherwise), the portal's own
 * session cookie (`fcplat_citizen_{slug}`) must name a live session OF THAT TENANT (401
 * otherwise). Writes were already checked for CSRF (origin and token) by http/csrf.ts.
 */
@Injectable()
export class CitizenSessionGuard implements CanActivate {
  constructor(
    private readonly tenants: PortalTenantsService,
    private readonly sessions: CitizenSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PortalRequest>();
    const tenant = await this.tenants.requireActive(String((req.params as { slug?: unknown }).slug ?? ''));
    const token = this.sessions.cookieToken(req, tenant);
    const session = token ? await this.sessions.resolve(tenant.id, token) : null;
    if (!token || !session) throw new AppError('UNAUTHENTICATED', { detail: NOT_LOGGED_IN });
    req.citizen = { tenant, session, token, binding: this.sessions.binding(req, tenant, null) };
    return true;
  }
}

/** The citizen resolved by {@link CitizenSessionGuard}. */
export const CurrentCitizen = createParamDecorator((_data: unknown, context: ExecutionContext): CitizenContext => {
  const citizen = context.switchToHttp().getRequest<PortalRequest>().citizen;
  if (!citizen) throw new AppError('UNAUTHENTICATED', { detail: NOT_LOGGED_IN });
  return citizen;
});
