import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@fcplat/common';
import { appendAudit } from '@fcplat/db';
import { QUALIFICATION_ROBOT_ACTOR, recordRobotChecklistResult, type RobotChecklistResult } from '@fcplat/qualification-runs';
import {
  ITEM_STATUS_LABELS,
  QUALIFICATION_MODE_LABELS,
  applyItemResult,
  buildChecklist,
  checklistSummary,
  isItemApplicable,
  isQualificationItemId,
  isRobotCheckable,
  qualificationItem,
  type ChecklistEntry,
  type ItemStatus,
  type QualificationItem,
  type QualificationItemId,
  type QualificationModes,
} from '@fcplat/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import type { ChecklistItemBody, ChecklistItemView, ChecklistView } from '@fcplat/contract';
import { isUuid, selectOne, selectRows } from '../database/raw-sql.js';
import { assertStaffWriter, resolveTenant } from '../auth/tenant-access.js';

interface CheckRow {
  readonly item_id: string;
  readonly status: ItemStatus;
  readonly source: 'manual' | 'robot';
  readonly evidence_text: string | null;
  readonly evidence_url: string | null;
  readonly checked_by: string | null;
  readonly checked_by_name: string | null;
  readonly checked_at: Date;
}

/** What the verification robot reports for one item (it never decides `not_applicable`). */
export type RobotResult = RobotChecklistResult;
export { QUALIFICATION_ROBOT_ACTOR };

const ITEM_NOT_FOUND = 'Prérequis inconnu.';

function modesText(modes: QualificationModes): string {
  const names = [modes.connexion ? QUALIFICATION_MODE_LABELS.C : null, modes.dataRetrieval ? QUALIFICATION_MODE_LABELS.D : null].filter(
    (n): n is string => n !== null,
  );
  return names.length > 0 ? names.join(' et ').toLowerCase() : 'aucun usage choisi';
}

/**
 * The qualification checklist of a tenant: the 22 prerequisites of the domain catalogue that apply
 * to its modes, with recorded statuses (missing = `todo`), evidence, who checked and when, and
 * the domain's summary. People record verdicts through the API; the robot's runs through
 * `recordRobotChecklistResult` (@fcplat/qualification-runs), which never replaces a person's verdict.
 */
@Injectable()
export class QualificationService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async checklist(actor: Actor, tenantId: string): Promise<ChecklistView> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    return this.view(manager, tenantId);
  }

  /** A person's verdict on one item (staff who can write). Unknown item: 404; item not applicable: 409. */
  async updateItem(actor: Actor, requestId: string | null, tenantId: string, itemId: string, body: ChecklistItemBody): Promise<ChecklistView> {
    return this.dataSource.transaction(async (manager) => {
      await resolveTenant(manager, actor, tenantId);
      assertStaffWriter(actor);
      const id = this.knownItem(itemId);
      await this.assertApplicable(manager, tenantId, qualificationItem(id));
      const current = await this.currentRow(manager, tenantId, id);
      const now = new Date();
      const outcome = applyItemResult(id, current ? entryOf(id, current) : undefined, {
        status: body.status,
        source: 'manual',
        checkedAt: now.toISOString(),
      });
      if (!outcome.ok) throw new AppError('CONFLICT', { detail: outcome.message });
      const next = {
        status: body.status,
        source: 'manual' as const,
        evidenceText: body.evidenceText ?? null,
        evidenceUrl: body.evidenceUrl ?? null,
      };
      await this.upsert(manager, tenantId, id, { ...next, checkedBy: actor.userId, checkedAt: now });
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: 'qualification.item_updated',
        target: { type: 'qualification_item', id },
        changes: diff(current, next),
        requestId,
      });
      return this.view(manager, tenantId);
    });
  }

  /**
   * Records the robot's result for one item, with the domain's rules: only robot-checkable items,
   * never `not_applicable`, never over a verdict a person gave (CONFLICT, nothing written).
   */
  async recordRobotResult(tenantId: string, itemId: string, result: RobotResult): Promise<ChecklistItemView> {
    return this.dataSource.transaction(async (manager) => {
      if (!isUuid(tenantId)) throw new AppError('NOT_FOUND', { detail: 'Client introuvable.' });
      await recordRobotChecklistResult(manager, tenantId, itemId, result);
      const view = await this.view(manager, tenantId);
      const item = view.items.find((i) => i.id === itemId);
      if (!item) throw new Error(`${itemId} vanished from the checklist`);
      return item;
    });
  }

  private knownItem(itemId: string): QualificationItemId {
    if (!isQualificationItemId(itemId)) throw new AppError('NOT_FOUND', { detail: ITEM_NOT_FOUND });
    return itemId;
  }

  private async modes(manager: EntityManager, tenantId: string): Promise<QualificationModes> {
    const row = await selectOne<{ connexion_enabled: boolean; data_retrieval_enabled: boolean }>(
      manager,
      `SELECT connexion_enabled, data_retrieval_enabled FROM tenant WHERE id = $1`,
      [tenantId],
    );
    return { connexion: row?.connexion_enabled ?? false, dataRetrieval: row?.data_retrieval_enabled ?? false };
  }

  private async assertApplicable(manager: EntityManager, tenantId: string, item: QualificationItem): Promise<void> {
    const modes = await this.modes(manager, tenantId);
    if (!isItemApplicable(item, modes)) {
      throw new AppError('CONFLICT', {
        detail: `${item.id} ne s’applique pas aux usages de FranceConnect de ce client (${modesText(modes)}).`,
      });
    }
  }

  private async currentRow(manager: EntityManager, tenantId: string, id: QualificationItemId): Promise<CheckRow | null> {
    return selectOne<CheckRow>(
      manager,
      `SELECT item_id, status, source, evidence_text, evidence_url, checked_by, NULL AS checked_by_name, checked_at
         FROM qualification_check WHERE tenant_id = $1 AND item_id = $2 FOR UPDATE`,
      [tenantId, id],
    );
  }

  private async upsert(
    manager: EntityManager,
    tenantId: string,
    id: QualificationItemId,
    row: {
      status: ItemStatus;
      source: 'manual' | 'robot';
      evidenceText: string | null;
      evidenceUrl: string | null;
      checkedBy: string | null;
      checkedAt: Date;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO qualification_check (tenant_id, item_id, status, source, evidence_text, evidence_url, checked_by, checked_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (tenant_id, item_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,
         evidence_text = EXCLUDED.evidence_text, evidence_url = EXCLUDED.evidence_url, checked_by = EXCLUDED.checked_by,
         checked_at = EXCLUDED.checked_at, updated_at = now()`,
      [tenantId, id, row.status, row.source, row.evidenceText, row.evidenceUrl, row.checkedBy, row.checkedAt],
    );
  }

  private async view(manager: EntityManager, tenantId: string): Promise<ChecklistView> {
    const modes = await this.modes(manager, tenantId);
    const rows = await selectRows<CheckRow>(
      manager,
      `SELECT q.item_id, q.status, q.source, q.evidence_text, q.evidence_url, q.checked_by, u.display_name AS checked_by_name, q.checked_at
         FROM qualification_check q LEFT JOIN app_user u ON u.id = q.checked_by
        WHERE q.tenant_id = $1`,
      [tenantId],
    );
    const byId = new Map<string, CheckRow>(rows.map((r) => [r.item_id, r]));
    const entries = rows.filter((r) => isQualificationItemId(r.item_id)).map((r) => entryOf(r.item_id as QualificationItemId, r));
    const checklist = buildChecklist(modes, entries);
    const summary = checklistSummary(checklist);
    const blockingById = new Map(summary.blocking.map((b) => [b.id, b]));
    const items = checklist.map((entry): ChecklistItemView => {
      const item = qualificationItem(entry.id);
      const row = byId.get(entry.id);
      const blocking = blockingById.get(entry.id);
      return {
        id: item.id,
        title: item.title,
        description: item.description,
        modes: [...item.modes],
        checks: [...item.checks],
        conditional: item.conditional,
        robotCheckable: isRobotCheckable(item),
        status: entry.status,
        statusLabel: ITEM_STATUS_LABELS[entry.status],
        source: entry.source,
        evidence: { text: row?.evidence_text ?? null, url: row?.evidence_url ?? null },
        checkedBy: row?.checked_by && row.checked_by_name ? { id: row.checked_by, displayName: row.checked_by_name } : null,
        checkedAt: row ? row.checked_at.toISOString() : null,
        blocking: blocking ? { cause: blocking.cause, message: blocking.message } : null,
      };
    });
    return {
      tenantId,
      modes: { connexion: modes.connexion, dataRetrieval: modes.dataRetrieval },
      items,
      summary: {
        total: summary.total,
        counts: { ...summary.counts },
        bySource: { ...summary.bySource },
        failed: [...summary.failed],
        blocking: summary.blocking.map((b) => ({ id: b.id, cause: b.cause, message: b.message })),
        readyForQualification: summary.readyForQualification,
      },
    };
  }
}

function entryOf(id: QualificationItemId, row: CheckRow): ChecklistEntry {
  return {
    id,
    status: row.status,
    source: row.source,
    checkedAt: row.checked_at.toISOString(),
    ...(row.evidence_text === null ? {} : { note: row.evidence_text }),
  };
}

type Recorded = Pick<CheckRow, 'status' | 'source' | 'evidence_text' | 'evidence_url'>;

/** Before/after of the fields that changed (a missing row counts as `todo`). */
function diff(
  before: Recorded | null,
  after: { status: ItemStatus; source: 'manual' | 'robot'; evidenceText: string | null; evidenceUrl: string | null },
): Record<string, { before: string | number | null; after: string | number | null }> {
  const changes: Record<string, { before: string | number | null; after: string | number | null }> = {};
  const status = before?.status ?? 'todo';
  if (status !== after.status) changes.status = { before: status, after: after.status };
  if ((before?.source ?? null) !== after.source) changes.source = { before: before?.source ?? null, after: after.source };
  if ((before?.evidence_url ?? null) !== after.evidenceUrl) changes.evidenceUrl = { before: before?.evidence_url ?? null, after: after.evidenceUrl };
  if ((before?.evidence_text ?? null) !== after.evidenceText) {
    changes.evidenceText = { before: before?.evidence_text ?? null, after: after.evidenceText };
  }
  return changes;
}
