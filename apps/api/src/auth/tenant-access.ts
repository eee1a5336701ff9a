import { AppError } from '@fcplat/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { assertTenantAccess } from '../auth/tenant-scope.js';
import { isUuid, selectOne } from '../database/raw-sql.js';

export interface TenantRef {
  readonly id: string;
  readonly name: string;
  readonly siret: string;
}

const TENANT_NOT_FOUND = 'Client introuvable.';

/**
 * The tenant a tenant-scoped route names, after SR-20: a client administrator of another tenant,
 * a malformed id and an unknown tenant all get the same 404.
 */
export async function resolveTenant(manager: EntityManager, actor: Actor, tenantId: string): Promise<TenantRef> {
  assertTenantAccess(actor, tenantId, TENANT_NOT_FOUND);
  if (!isUuid(tenantId)) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
  const tenant = await selectOne<TenantRef>(manager, `SELECT id, name, siret FROM tenant WHERE id = $1`, [tenantId]);
  if (!tenant) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
  return tenant;
}

/**
 * For routes open to client administrators only so that another tenant's resources answer 404
 * (SR-20): once the tenant is known to be theirs, a write reserved to staff answers 403.
 */
export function assertStaffWriter(actor: Actor): void {
  if (actor.kind !== 'staff' || actor.role === 'read_only') {
    throw new AppError('FORBIDDEN', { detail: 'Votre rôle ne permet pas cette action.' });
  }
}
