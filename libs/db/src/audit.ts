import type { EntityManager } from 'typeorm';
import { redact } from '@fcplat/common';
import { AuditLogEntity, type ActorType, type JsonObject } from './entities/audit-log.entity.js';
import type { AuditAction } from '@fcplat/domain';

export interface AuditActor {
  readonly type: ActorType;
  readonly id: string | null;
}

export interface AuditEntry {
  readonly actor: AuditActor;
  readonly tenantId: string | null;
  /** Dotted lower-case verb, e.g. `tenant.created`, `credentials.fc_production.updated`. */
  /** An action of the journal's catalogue (`@fcplat/domain`'s `AUDIT_ACTION_LABELS`): one without a French label does not compile. */
  readonly action: AuditAction;
  readonly target?: { readonly type: string; readonly id: string };
  /** Changed fields with before/after. Sensitive keys are redacted again here, defensively. */
  readonly changes?: Readonly<Record<string, unknown>>;
  readonly requestId?: string | null;
}

/**
 * Appends an audit row with the caller's EntityManager, so the row commits or rolls back with
 * the change it describes (one transaction per command).
 */
export async function appendAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditLogEntity)
    .values({
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    tenantId: entry.tenantId,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    changes: JSON.parse(JSON.stringify(redact(entry.changes ?? {}))) as JsonObject,
    requestId: entry.requestId ?? null,
    } as object)
    .execute();
}
