import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '@fcplat/common';
import { grantOf, type Actor, type Grant } from './actor.js';
import { AuthService } from './auth.service.js';
import { PUBLIC_ROUTE, ROUTE_GRANTS } from './decorators.js';

/**
 * Global guard: every route needs an authenticated caller holding one of its `@Allow` grants,
 * unless it is `@Public`. A route that declares neither is refused (fail closed).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = await this.auth.resolve(request.headers);
    if (!actor) throw new AppError('UNAUTHENTICATED', { detail: 'Connectez-vous pour accéder à cette ressource.' });
    request.actor = actor;
    // SR-20, first wall (before any body validation or grant check): a client administrator can
    // only address their own tenant; anything else is "not found", never "forbidden" or "invalid".
    // Services check again with assertTenantAccess.
    const tenantId = tenantParamOf(request);
    if (actor.kind === 'client_admin' && tenantId !== undefined && tenantId !== actor.tenantId) {
      // Same answer as for a tenant that does not exist (TenantsService).
      throw new AppError('NOT_FOUND', { detail: 'Organisme introuvable.' });
    }
    const grants = this.reflector.getAllAndOverride<Grant[] | undefined>(ROUTE_GRANTS, targets) ?? [];
    if (!grants.includes(grantOf(actor))) {
      throw new AppError('FORBIDDEN', { detail: 'Votre rôle ne permet pas cette action.' });
    }
    return true;
  }
}

/** The tenant a tenant-scoped route addresses: `:tenantId`, or `:id` under `/api/tenants/`. */
function tenantParamOf(request: Request): string | undefined {
  const params = request.params as Record<string, string | undefined>;
  if (params.tenantId !== undefined) return params.tenantId;
  const routePath = (request.route as { path?: unknown } | undefined)?.path;
  return typeof routePath === 'string' && routePath.startsWith('/api/tenants/:id') ? params.id : undefined;
}
