import { Inject, Injectable } from '@nestjs/common';
import { isAppError, validationError } from '@fcplat/common';
import { ONBOARDING_STAGE_LABELS, isOnboardingStage, type TransitionReason } from '@fcplat/domain';
import type { DataSource } from 'typeorm';
import type { BulkAssignBody, BulkMoveBody, BulkResult } from '@fcplat/contract';
import type { Actor } from '../auth/actor.js';
import { assertStaffWriter } from '../auth/tenant-access.js';
import { selectOne, selectRows } from '../database/raw-sql.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { OnboardingService, type CaseOutcome } from './onboarding.service.js';

type CaseResult = BulkResult['results'][number];

interface CaseRef {
  readonly id: string;
  readonly name: string;
  readonly stage: string | null;
}

/**
 * Bulk actions of the pipeline: the same command as for one case (`OnboardingService.transition`
 * or `updateCase`, through their `…Only` forms that skip the full view), run once per case, each in its own transaction with its own audit row. A
 * refused case (the onboarding rules, a missing reason, a tenant that does not exist) is reported
 * with its stable code and French reason and does not roll back the others.
 */
@Injectable()
export class BulkCasesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly onboarding: OnboardingService,
  ) {}

  async move(actor: Actor, requestId: string | null, body: BulkMoveBody): Promise<BulkResult> {
    assertStaffWriter(actor);
    const input = { to: body.to, ...(body.reason ? { reason: body.reason } : {}) };
    return this.each(body.tenantIds, (tenantId) => this.onboarding.transitionOnly(actor, requestId, tenantId, input));
  }

  async assign(actor: Actor, requestId: string | null, body: BulkAssignBody): Promise<BulkResult> {
    assertStaffWriter(actor);
    // The assignee is the same for every case: a wrong one is the request's fault, refused before any change.
    if (body.assigneeId !== null) {
      const assignee = await selectOne<{ id: string }>(
        this.dataSource.manager,
        `SELECT id FROM app_user WHERE id = $1 AND kind = 'staff' AND staff_role IN ('admin', 'onboarding_agent') AND status <> 'disabled'`,
        [body.assigneeId],
      );
      if (!assignee) {
        throw validationError([{ path: 'assigneeId', message: 'Choisissez un membre actif de l’équipe de l’éditeur pouvant suivre des dossiers.' }]);
      }
    }
    return this.each(body.tenantIds, (tenantId) => this.onboarding.updateCaseOnly(actor, requestId, tenantId, { assigneeId: body.assigneeId }));
  }

  /** Runs `command` for each case in turn (one transaction each), in the order sent. */
  private async each(tenantIds: readonly string[], command: (tenantId: string) => Promise<CaseOutcome>): Promise<BulkResult> {
    const refs = await selectRows<CaseRef>(
      this.dataSource.manager,
      `SELECT t.id, t.name, c.stage FROM tenant t LEFT JOIN onboarding_case c ON c.tenant_id = t.id WHERE t.id = ANY($1::uuid[])`,
      [tenantIds],
    );
    const byId = new Map(refs.map((r) => [r.id, r]));
    const results: CaseResult[] = [];
    for (const tenantId of tenantIds) {
      const ref = byId.get(tenantId);
      try {
        const outcome = await command(tenantId);
        results.push({ tenantId, tenantName: outcome.tenantName, ok: true, stage: outcome.stage, stageLabel: ONBOARDING_STAGE_LABELS[outcome.stage], code: null, message: null, reasons: [] });
      } catch (error) {
        if (!isAppError(error)) throw error;
        const stage = ref?.stage && isOnboardingStage(ref.stage) ? ref.stage : null;
        const reasons = (error.extensions['reasons'] as readonly TransitionReason[] | undefined) ?? [];
        results.push({
          tenantId,
          tenantName: ref?.name ?? null,
          ok: false,
          stage,
          stageLabel: stage ? ONBOARDING_STAGE_LABELS[stage] : null,
          code: error.code,
          message: error.detail ?? error.title,
          reasons: reasons.map((r) => ({ code: r.code, message: r.message, ...(r.itemIds ? { itemIds: [...r.itemIds] } : {}) })),
        });
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, refused: results.length - succeeded };
  }
}
