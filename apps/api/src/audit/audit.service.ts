import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { Page } from '@fcplat/contract';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { userNameByTextIdSql } from '../database/user-names.js';
import { likeEscape, selectOne, selectRows } from '../database/raw-sql.js';
import { resolveTenant } from '../auth/tenant-access.js';
import { AUDIT_EXPORT_MAX_ROWS, type AuditAuthorView, type AuditEntryView, type AuditQuery, type TenantAuditExportQuery, type TenantAuditQuery } from '@fcplat/contract';
import { AUDIT_ACTOR_LABELS, auditActionLabel, csvDocument, describeAuditChanges, parisDateTime } from '@fcplat/domain';

/** At most this many authors in the filter (a tenant's journal has a handful). */
const AUDIT_AUTHORS_MAX = 500;

interface AuditRow {
  readonly id: string;
  readonly occurred_at: Date;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly actor_name: string | null;
  readonly tenant_id: string | null;
  readonly action: string;
  readonly target_type: string | null;
  readonly target_id: string | null;
  readonly changes: Record<string, unknown>;
  readonly request_id: string | null;
}

/** Reads the append-only audit log (SR-25), filtered and paginated in SQL, newest first by default. */
@Injectable()
export class AuditService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Staff: the whole log, optionally for one tenant. */
  list(query: AuditQuery): Promise<Page<AuditEntryView>> {
    return this.query(query, query.tenantId ?? null);
  }

  /** One tenant's rows: staff, or that tenant's own administrator (others: 404). */
  async listForTenant(actor: Actor, tenantId: string, query: TenantAuditQuery): Promise<Page<AuditEntryView>> {
    await resolveTenant(this.dataSource.manager, actor, tenantId);
    return this.query(query, tenantId);
  }

  /**
   * One tenant's journal as a CSV file people open in a spreadsheet (the same filters, newest first,
   * at most `AUDIT_EXPORT_MAX_ROWS` rows): date and time in France, who, the action and what changed
   * in French — what the console's journal shows, never a field's code or a secret.
   */
  async exportForTenant(actor: Actor, tenantId: string, query: TenantAuditExportQuery): Promise<string> {
    await resolveTenant(this.dataSource.manager, actor, tenantId);
    const { whereSql, params, param } = this.filters(query, tenantId);
    const rows = await selectRows<AuditRow>(
      this.dataSource.manager,
      `SELECT a.id::text AS id, a.occurred_at, a.actor_type, a.actor_id, ${userNameByTextIdSql('a.actor_id')} AS actor_name,
              a.tenant_id, a.action, a.target_type, a.target_id, a.changes, a.request_id
         FROM audit_log a ${whereSql}
        ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${param(AUDIT_EXPORT_MAX_ROWS)}`,
      params,
    );
    return csvDocument(
      ['date', 'qui', 'type_acteur', 'action', 'details'],
      rows.map((r) => [
        parisDateTime(r.occurred_at),
        r.actor_name ?? '',
        AUDIT_ACTOR_LABELS[r.actor_type] ?? 'autre',
        auditActionLabel(r.action),
        describeAuditChanges(r.changes)
          .map((d) => `${d.label} : ${d.text}`)
          .join(' ; '),
      ]),
    );
  }

  /**
   * The people who acted in one tenant's journal (staff, whether by session or API token, and
   * client administrators), by name: the choices of the journal's « auteur » filter, whose value
   * is `actorId`. Only people who wrote a row of this tenant are listed, so a client
   * administrator learns no name the journal does not already show them.
   */
  async authorsForTenant(actor: Actor, tenantId: string): Promise<AuditAuthorView[]> {
    await resolveTenant(this.dataSource.manager, actor, tenantId);
    const rows = await selectRows<{ id: string; display_name: string; kind: AuditAuthorView['kind'] }>(
      this.dataSource.manager,
      // The candidates are the staff and this tenant's administrators (nobody else writes a row of
      // it), each looked up in audit_log_tenant_actor_time_idx: a few milliseconds however long
      // the journal, where reading the tenant's rows would grow with it (and with its citizens).
      `SELECT u.id::text AS id, u.display_name, u.kind
         FROM app_user u
        WHERE (u.kind = 'staff' OR (u.kind = 'client_admin' AND u.tenant_id = $1))
          AND EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = $1 AND a.actor_id = u.id::text)
        ORDER BY u.display_name, u.id
        LIMIT ${AUDIT_AUTHORS_MAX}`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, kind: r.kind }));
  }

  private filters(query: Pick<TenantAuditQuery, 'action' | 'actorId' | 'from' | 'to'>, tenantId: string | null) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (tenantId) where.push(`a.tenant_id = ${param(tenantId)}`);
    if (query.action) where.push(`a.action LIKE ${param(`${likeEscape(query.action)}%`)}`);
    if (query.actorId) where.push(`a.actor_id = ${param(query.actorId)}`);
    if (query.from) where.push(`a.occurred_at >= ${param(query.from)}::timestamptz`);
    if (query.to) where.push(`a.occurred_at < ${param(query.to)}::timestamptz`);
    return { whereSql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params, param };
  }

  private async query(query: TenantAuditQuery, tenantId: string | null): Promise<Page<AuditEntryView>> {
    const { whereSql, params, param } = this.filters(query, tenantId);
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const countParams = [...params];
    const rows = await selectRows<AuditRow>(
      this.dataSource.manager,
      `SELECT a.id::text AS id, a.occurred_at, a.actor_type, a.actor_id, ${userNameByTextIdSql('a.actor_id')} AS actor_name,
              a.tenant_id, a.action, a.target_type, a.target_id, a.changes, a.request_id
         FROM audit_log a
         ${whereSql}
        ORDER BY a.occurred_at ${direction}, a.id ${direction}
        LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`,
      params,
    );
    const total = await selectOne<{ n: number }>(this.dataSource.manager, `SELECT count(*)::int AS n FROM audit_log a ${whereSql}`, countParams);
    return {
      items: rows.map((r) => ({
        id: r.id,
        occurredAt: r.occurred_at.toISOString(),
        actor: { type: r.actor_type, id: r.actor_id, displayName: r.actor_name },
        tenantId: r.tenant_id,
        action: r.action,
        target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
        changes: r.changes,
        requestId: r.request_id,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total: total?.n ?? 0,
    };
  }
}
