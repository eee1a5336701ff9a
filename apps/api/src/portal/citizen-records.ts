import type { EntityManager } from 'typeorm';
import { CitizenEntity, CitizenFranceConnectIdentityEntity, appendAudit, type AuditActor } from '@fcplat/db';
import type { PivotIdentity } from './pivot-identity.js';

/** The audit actor of a citizen (ids only, never personal data in `changes`). */
export const citizenActor = (citizenId: string): AuditActor => ({ type: 'citizen', id: citizenId });
export const citizenTarget = (citizenId: string) => ({ type: 'citizen', id: citizenId });

export function pivotIdentityOf(citizen: CitizenEntity): PivotIdentity | null {
  if (!citizen.identitySource) return null;
  return {
    familyName: citizen.familyName,
    givenNames: citizen.givenNames,
    birthdate: citizen.birthdate,
    birthplace: citizen.birthplace,
    birthcountry: citizen.birthcountry,
    gender: citizen.gender,
  };
}

/** Columns that make `identity` the citizen's pivot identity, read-only from now on (FC-15). */
export function franceConnectIdentityColumns(identity: PivotIdentity): Partial<CitizenEntity> {
  return { identitySource: 'franceconnect', ...identity };
}

export interface CitizenLoad {
  readonly citizen: CitizenEntity;
  readonly links: readonly CitizenFranceConnectIdentityEntity[];
}

/** A citizen of `tenantId` and its FranceConnect links, or null (always filtered by tenant). */
export async function loadCitizen(manager: EntityManager, tenantId: string, citizenId: string, options: { lock?: boolean; withPassword?: boolean } = {}): Promise<CitizenLoad | null> {
  const query = manager.getRepository(CitizenEntity).createQueryBuilder('c').where('c.id = :citizenId AND c.tenant_id = :tenantId', { citizenId, tenantId });
  if (options.withPassword) query.addSelect('c.passwordHash');
  if (options.lock) query.setLock('pessimistic_write');
  const citizen = await query.getOne();
  if (!citizen) return null;
  const links = await manager.getRepository(CitizenFranceConnectIdentityEntity).find({ where: { tenantId, citizenId } });
  return { citizen, links };
}

/** Links a FranceConnect identity (tenant, issuer, sub) to a citizen and audits it (ids only). */
export async function linkFranceConnectIdentity(
  manager: EntityManager,
  input: { tenantId: string; citizenId: string; issuer: string; sub: string; how: 'signup' | 'automatic' | 'confirmed'; requestId: string | null },
): Promise<void> {
  const result = await manager
    .getRepository(CitizenFranceConnectIdentityEntity)
    .createQueryBuilder()
    .insert()
    .values({ tenantId: input.tenantId, citizenId: input.citizenId, issuer: input.issuer, sub: input.sub })
    .returning(['id'])
    .execute();
  const linkId = (result.raw as { id: string }[])[0]?.id ?? null;
  await appendAudit(manager, {
    actor: citizenActor(input.citizenId),
    tenantId: input.tenantId,
    action: 'citizen.franceconnect_linked',
    target: citizenTarget(input.citizenId),
    changes: { linkId, reconciliation: input.how },
    requestId: input.requestId,
  });
}
