import { AppError } from '@fcplat/common';
import type { Actor } from './actor.js';

/**
 * SR-20: a client administrator reaches only their own tenant; anything of another tenant is
 * "not found" (404), never "forbidden", so its existence does not leak. Staff reach every tenant.
 */
export function assertTenantAccess(actor: Actor, tenantId: string, what = 'Ressource introuvable'): void {
  if (actor.kind === 'client_admin' && actor.tenantId !== tenantId) throw new AppError('NOT_FOUND', { detail: what });
}

/** The tenant filter a list must apply: the actor's own tenant for a client administrator. */
export function tenantFilterOf(actor: Actor): string | null {
  return actor.kind === 'client_admin' ? actor.tenantId : null;
}
