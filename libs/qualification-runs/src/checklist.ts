import { AppError } from '@fcplat/common';
import { appendAudit } from '@fcplat/db';
import {
  applyItemResult,
  isItemApplicable,
  isQualificationItemId,
  qualificationItem,
  type ItemStatus,
  type QualificationItemId,
} from '@fcplat/domain';
import type { EntityManager } from 'typeorm';

/** The audit actor of the qualification robot. */
export const QUALIFICATION_ROBOT_ACTOR = { type: 'system', id: 'qualification-robot' } as const;

/** What the robot reports for one checklist item (it never decides `not_applicable`). */
export interface RobotChecklistResult {
  readonly status: Exclude<ItemStatus, 'not_applicable'>;
  readonly checkedAt?: Date;
  /** What was observed (French), kept as the evidence text. */
  readonly note?: string;
  /** An https link to a report or screenshot. */
  readonly evidenceUrl?: string;
}

interface CheckRow {
  readonly status: ItemStatus;
  readonly source: 'manual' | 'robot';
  readonly evidence_text: string | null;
  readonly evidence_url: string | null;
  readonly checked_at: Date;
}

/**
 * Writes the robot's result on one checklist item, in the caller's transaction, with the domain's
 * rules (`applyItemResult`): only robot-checkable items that apply to the tenant's modes, never
 * `not_applicable`, never over a verdict a person gave — those throw CONFLICT and write nothing.
 * One audit row per change. The single place that writes robot verdicts into the checklist
 * (the API's entry point and the worker's runs both call it).
 */
export async function recordRobotChecklistResult(manager: EntityManager, tenantId: string, itemId: string, result: RobotChecklistResult): Promise<void> {
  const tenant = (await manager.query(`SELECT connexion_enabled, data_retrieval_enabled FROM tenant WHERE id = $1`, [tenantId])) as Array<{
    connexion_enabled: boolean;
    data_retrieval_enabled: boolean;
  }>;
  if (!tenant[0]) throw new AppError('NOT_FOUND', { detail: 'Client introuvable.' });
  if (!isQualificationItemId(itemId)) throw new AppError('NOT_FOUND', { detail: 'Prérequis inconnu.' });
  const id: QualificationItemId = itemId;
  const modes = { connexion: tenant[0].connexion_enabled, dataRetrieval: tenant[0].data_retrieval_enabled };
  if (!isItemApplicable(qualificationItem(id), modes)) {
    throw new AppError('CONFLICT', { detail: `${id} ne s’applique pas aux usages de FranceConnect de ce client.` });
  }
  const [current] = (await manager.query(
    `SELECT status, source, evidence_text, evidence_url, checked_at FROM qualification_check WHERE tenant_id = $1 AND item_id = $2 FOR UPDATE`,
    [tenantId, id],
  )) as CheckRow[];
  const checkedAt = result.checkedAt ?? new Date();
  const outcome = applyItemResult(
    id,
    current ? { id, status: current.status, source: current.source, checkedAt: current.checked_at.toISOString() } : undefined,
    { status: result.status, source: 'robot', checkedAt: checkedAt.toISOString(), ...(result.note === undefined ? {} : { note: result.note }) },
  );
  if (!outcome.ok) throw new AppError('CONFLICT', { detail: outcome.message });
  if (result.evidenceUrl !== undefined && !/^https:\/\/\S+$/.test(result.evidenceUrl)) {
    throw new AppError('VALIDATION_FAILED', { detail: 'Lien de preuve https attendu.', violations: [{ path: 'evidenceUrl', message: 'lien https attendu' }] });
  }
  const next = { status: result.status, source: 'robot' as const, evidenceText: result.note?.slice(0, 5000) ?? null, evidenceUrl: result.evidenceUrl ?? null };
  await manager.query(
    `INSERT INTO qualification_check (tenant_id, item_id, status, source, evidence_text, evidence_url, checked_by, checked_at, updated_at)
     VALUES ($1, $2, $3, 'robot', $4, $5, NULL, $6, now())
     ON CONFLICT (tenant_id, item_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,
       evidence_text = EXCLUDED.evidence_text, evidence_url = EXCLUDED.evidence_url, checked_by = NULL,
       checked_at = EXCLUDED.checked_at, updated_at = now()`,
    [tenantId, id, next.status, next.evidenceText, next.evidenceUrl, checkedAt],
  );
  const changes: Record<string, { before: string | null; after: string | null }> = {};
  if ((current?.status ?? 'todo') !== next.status) changes.status = { before: current?.status ?? 'todo', after: next.status };
  if ((current?.source ?? null) !== next.source) changes.source = { before: current?.source ?? null, after: next.source };
  if ((current?.evidence_url ?? null) !== next.evidenceUrl) changes.evidenceUrl = { before: current?.evidence_url ?? null, after: next.evidenceUrl };
  if ((current?.evidence_text ?? null) !== next.evidenceText) changes.evidenceText = { before: current?.evidence_text ?? null, after: next.evidenceText };
  if (Object.keys(changes).length === 0) return;
  await appendAudit(manager, {
    actor: QUALIFICATION_ROBOT_ACTOR,
    tenantId,
    action: 'qualification.robot_result',
    target: { type: 'qualification_item', id },
    changes,
  });
}
