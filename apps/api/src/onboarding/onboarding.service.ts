import { Inject, Injectable } from '@nestjs/common';
import { AppError, validationError } from '@fcplat/common';
import { appendAudit, recordNotificationEvent } from '@fcplat/db';
import {
  commentExcerpt,
  ONBOARDING_STAGES,
  ONBOARDING_STAGE_LABELS,
  assertTransition,
  canTransition,
  isOnboardingStage,
  nextActions,
  partyLabel,
  stageTiming,
  type OnboardingSnapshot,
  type CommentVisibility,
  type OnboardingStage,
} from '@fcplat/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { auditActorOf, type Actor } from '../auth/actor.js';
import type { Page } from '@fcplat/contract';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { displayNameOf, onboardingActorOf } from './actors.js';
import { userNameByTextIdSql } from '../database/user-names.js';
import { ONBOARDING_FACTS, type OnboardingFacts, type OnboardingFactsProvider } from './facts.js';
import type { CasePatch, CaseView, CommentInput, CommentView, CaseHistoryEntry, TransitionBody } from '@fcplat/contract';
import { selectOne, selectRows } from '../database/raw-sql.js';
import { assertStaffWriter, resolveTenant, type TenantRef } from '../auth/tenant-access.js';
import { overdueAtSql, storedTiming } from './timing.js';

interface CaseRow {
  readonly id: string;
  readonly stage: string;
  readonly stage_entered_at: Date;
  readonly assignee_id: string | null;
  readonly assignee_name: string | null;
  readonly ds_file_number: string | null;
  readonly updated_at: Date;
  readonly version: number;
}

interface PageQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly order: 'asc' | 'desc';
}

const CASE_NOT_FOUND = 'Dossier d’accompagnement introuvable.';

/** Where a case stands after a command (bulk actions). */
export interface CaseOutcome {
  readonly tenantName: string;
  readonly stage: OnboardingStage;
}

function stageOf(value: string): OnboardingStage {
  if (!isOnboardingStage(value)) throw new Error(`Unknown onboarding stage in the database: ${value}`);
  return value;
}

/** Onboarding cases: reading with timing and next actions, moves, assignment, history, comments. */
@Injectable()
export class OnboardingService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ONBOARDING_FACTS) private readonly facts: OnboardingFactsProvider,
  ) {}

  async getCase(actor: Actor, tenantId: string, now = new Date()): Promise<CaseView> {
    const manager = this.dataSource.manager;
    const tenant = await resolveTenant(manager, actor, tenantId);
    return this.view(manager, actor, tenant, await this.caseRow(manager, tenantId, false), now);
  }

  /**
   * Moves the case to `body.to` when the domain's state machine allows it for this caller on the
   * facts read inside the transaction; otherwise throws the domain's refusal (FORBIDDEN,
   * VALIDATION_FAILED or CONFLICT with `reasons`) and nothing is written.
   */
  async transition(actor: Actor, requestId: string | null, tenantId: string, body: TransitionBody): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      const { tenant, now } = await this.applyTransition(manager, actor, requestId, tenantId, body);
      return this.view(manager, actor, tenant, await this.caseRow(manager, tenantId, false), now);
    });
  }

  /**
   * The same move as `transition`, in a transaction of its own, answering only where the case
   * stands (the bulk actions run it once per case and need no full view).
   */
  async transitionOnly(actor: Actor, requestId: string | null, tenantId: string, body: TransitionBody): Promise<CaseOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const { tenant } = await this.applyTransition(manager, actor, requestId, tenantId, body);
      return { tenantName: tenant.name, stage: body.to };
    });
  }

  /** The move itself, inside the caller's transaction: checked, written, historised and audited. */
  private async applyTransition(
    manager: EntityManager,
    actor: Actor,
    requestId: string | null,
    tenantId: string,
    body: TransitionBody,
  ): Promise<{ tenant: TenantRef; now: Date }> {
    const tenant = await resolveTenant(manager, actor, tenantId);
    const row = await this.caseRow(manager, tenantId, true);
    const from = stageOf(row.stage);
    const facts = await this.facts.factsFor(manager, tenantId);
    const reason = body.reason === undefined || body.reason === '' ? undefined : body.reason;
    const dsFileNumber = body.dsFileNumber ?? facts.dsFileNumber ?? null;
    const snapshot: OnboardingSnapshot = { ...facts, stage: from, dsFileNumber };
    const check = assertTransition(snapshot, body.to, { actor: onboardingActorOf(actor), ...(reason ? { reason } : {}) });

    const now = new Date();
    const timing = storedTiming(body.to, now);
    await manager.query(
      `UPDATE onboarding_case
          SET stage = $2, stage_entered_at = $3, deadline_on = $4, overdue_at = ${overdueAtSql('$5')},
              ds_file_number = $6, updated_at = $3, version = version + 1
        WHERE tenant_id = $1`,
      [tenantId, body.to, now, timing.deadlineOn, timing.overdueFrom, dsFileNumber],
    );
    const audit = auditActorOf(actor);
    await manager.query(
      `INSERT INTO onboarding_stage_change
         (tenant_id, from_stage, to_stage, kind, passed_through, reason, ds_file_number, actor_type, actor_id, request_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11)`,
      [tenantId, from, body.to, check.kind, [...check.passedThrough], reason ?? null, dsFileNumber, audit.type, audit.id, requestId, now],
    );
    await appendAudit(manager, {
      actor: audit,
      tenantId,
      action: 'onboarding.stage_changed',
      target: { type: 'onboarding_case', id: row.id },
      changes: {
        stage: { before: from, after: body.to },
        kind: check.kind,
        ...(check.passedThrough.length > 0 ? { passedThrough: [...check.passedThrough] } : {}),
        ...(reason ? { reason } : {}),
        ...(dsFileNumber !== row.ds_file_number ? { dsFileNumber: { before: row.ds_file_number, after: dsFileNumber } } : {}),
      },
      requestId,
    });
    // Same transaction: a move that rolls back notifies nobody (docs/notifications.md).
    await recordNotificationEvent(manager, { kind: 'case_stage_changed', tenantId, actorId: actor.userId, data: { from, to: body.to, reason: reason ?? null } });
    return { tenant, now };
  }

  /** Staff set the assignee (an active staff member who can write, or null) and the DS file number. */
  async updateCase(actor: Actor, requestId: string | null, tenantId: string, patch: CasePatch): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      const { tenant } = await this.applyUpdate(manager, actor, requestId, tenantId, patch);
      return this.view(manager, actor, tenant, await this.caseRow(manager, tenantId, false), new Date());
    });
  }

  /** The same change as `updateCase`, in a transaction of its own, answering only where the case stands (bulk actions). */
  async updateCaseOnly(actor: Actor, requestId: string | null, tenantId: string, patch: CasePatch): Promise<CaseOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const { tenant, stage } = await this.applyUpdate(manager, actor, requestId, tenantId, patch);
      return { tenantName: tenant.name, stage };
    });
  }

  /** The change itself, inside the caller's transaction (the stage does not change). */
  private async applyUpdate(
    manager: EntityManager,
    actor: Actor,
    requestId: string | null,
    tenantId: string,
    patch: CasePatch,
  ): Promise<{ tenant: TenantRef; stage: OnboardingStage }> {
    const tenant = await resolveTenant(manager, actor, tenantId);
    assertStaffWriter(actor);
    const row = await this.caseRow(manager, tenantId, true);
    const changes: Record<string, { before: string | null; after: string | null }> = {};
    if (patch.assigneeId !== undefined && patch.assigneeId !== row.assignee_id) {
      if (patch.assigneeId !== null) {
        const assignee = await selectOne<{ id: string }>(
          manager,
          `SELECT id FROM app_user WHERE id = $1 AND kind = 'staff' AND staff_role IN ('admin', 'onboarding_agent') AND status <> 'disabled'`,
          [patch.assigneeId],
        );
        if (!assignee) {
          throw validationError([
            { path: 'assigneeId', message: 'Choisissez un membre actif de l’équipe de l’éditeur pouvant suivre des dossiers.' },
          ]);
        }
      }
      changes.assigneeId = { before: row.assignee_id, after: patch.assigneeId };
    }
    if (patch.dsFileNumber !== undefined && patch.dsFileNumber !== row.ds_file_number) {
      changes.dsFileNumber = { before: row.ds_file_number, after: patch.dsFileNumber };
    }
    if (Object.keys(changes).length > 0) {
      await manager.query(
        `UPDATE onboarding_case
            SET assignee_id = CASE WHEN $2 THEN $3::uuid ELSE assignee_id END,
                ds_file_number = CASE WHEN $4 THEN $5 ELSE ds_file_number END,
                updated_at = now(), version = version + 1
          WHERE tenant_id = $1`,
        [tenantId, 'assigneeId' in changes, changes.assigneeId?.after ?? null, 'dsFileNumber' in changes, changes.dsFileNumber?.after ?? null],
      );
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: 'onboarding.case_updated',
        target: { type: 'onboarding_case', id: row.id },
        changes,
        requestId,
      });
    }
    return { tenant, stage: stageOf(row.stage) };
  }

  async history(actor: Actor, tenantId: string, query: PageQuery): Promise<Page<CaseHistoryEntry>> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await selectRows<{
      id: string;
      from_stage: string | null;
      to_stage: string;
      kind: CaseHistoryEntry['kind'];
      passed_through: string[];
      reason: string | null;
      ds_file_number: string | null;
      actor_type: string;
      actor_id: string | null;
      actor_name: string | null;
      occurred_at: Date;
    }>(
      manager,
      `SELECT h.id::text AS id, h.from_stage, h.to_stage, h.kind, h.passed_through, h.reason, h.ds_file_number,
              h.actor_type, h.actor_id, ${userNameByTextIdSql('h.actor_id')} AS actor_name, h.occurred_at
         FROM onboarding_stage_change h
        WHERE h.tenant_id = $1
        ORDER BY h.occurred_at ${direction}, h.id ${direction}
        LIMIT $2 OFFSET $3`,
      [tenantId, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const total = await selectOne<{ n: number }>(manager, `SELECT count(*)::int AS n FROM onboarding_stage_change WHERE tenant_id = $1`, [tenantId]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        fromStage: r.from_stage === null ? null : stageOf(r.from_stage),
        toStage: stageOf(r.to_stage),
        toStageLabel: ONBOARDING_STAGE_LABELS[stageOf(r.to_stage)],
        kind: r.kind,
        passedThrough: r.passed_through.map(stageOf),
        reason: r.reason,
        dsFileNumber: r.ds_file_number,
        actor: { type: r.actor_type, id: r.actor_id, displayName: r.actor_name },
        occurredAt: r.occurred_at.toISOString(),
      })),
      page: query.page,
      pageSize: query.pageSize,
      total: total?.n ?? 0,
    };
  }

  async comments(actor: Actor, tenantId: string, query: PageQuery): Promise<Page<CommentView>> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    // The team's internal notes never reach a client administrator.
    const visible = actor.kind === 'client_admin' ? `AND visibility = 'client'` : '';
    const rows = await selectRows<CommentRow>(
      manager,
      `SELECT id, author_id, author_type, author_name, body, visibility, created_at FROM onboarding_comment
        WHERE tenant_id = $1 ${visible} ORDER BY created_at ${direction}, id ${direction} LIMIT $2 OFFSET $3`,
      [tenantId, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const total = await selectOne<{ n: number }>(manager, `SELECT count(*)::int AS n FROM onboarding_comment WHERE tenant_id = $1 ${visible}`, [tenantId]);
    return { items: rows.map(commentView), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
  }

  async addComment(actor: Actor, requestId: string | null, tenantId: string, input: CommentInput): Promise<CommentView> {
    const visibility = commentVisibilityOf(actor, input.visibility);
    return this.dataSource.transaction(async (manager) => {
      await resolveTenant(manager, actor, tenantId);
      const audit = auditActorOf(actor);
      const authorType = audit.type === 'api_token' ? 'api_token' : actor.kind;
      const [row] = await selectRows<CommentRow>(
        manager,
        `INSERT INTO onboarding_comment (tenant_id, author_id, author_type, author_name, body, visibility)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, author_id, author_type, author_name, body, visibility, created_at`,
        [tenantId, actor.userId, authorType, (await displayNameOf(manager, actor)).slice(0, 200), input.body, visibility],
      );
      if (!row) throw new Error('comment insert returned no row');
      await appendAudit(manager, {
        actor: audit,
        tenantId,
        action: 'onboarding.comment_added',
        target: { type: 'onboarding_comment', id: row.id },
        // The text itself stays in the comment table: audit rows are immutable.
        changes: { bodyLength: { before: null, after: input.body.length }, visibility: { before: null, after: visibility } },
        requestId,
      });
      // An internal note reaches staff only; a message to the client reaches both sides (docs/notifications.md).
      const authorName = row.author_name;
      const excerpt = commentExcerpt(input.body);
      await recordNotificationEvent(
        manager,
        visibility === 'internal'
          ? { kind: 'comment_internal', tenantId, actorId: actor.userId, data: { commentId: row.id, authorName, excerpt } }
          : { kind: 'comment_client', tenantId, actorId: actor.userId, data: { commentId: row.id, authorName, authorKind: actor.kind, excerpt } },
      );
      return commentView(row);
    });
  }

  private async caseRow(manager: EntityManager, tenantId: string, forUpdate: boolean): Promise<CaseRow> {
    const row = await selectOne<CaseRow>(
      manager,
      `SELECT c.id, c.stage, c.stage_entered_at, c.assignee_id, u.display_name AS assignee_name, c.ds_file_number, c.updated_at, c.version
         FROM onboarding_case c LEFT JOIN app_user u ON u.id = c.assignee_id
        WHERE c.tenant_id = $1 ${forUpdate ? 'FOR UPDATE OF c' : ''}`,
      [tenantId],
    );
    if (!row) throw new AppError('NOT_FOUND', { detail: CASE_NOT_FOUND });
    return row;
  }

  private async view(manager: EntityManager, actor: Actor, tenant: TenantRef, row: CaseRow, now: Date): Promise<CaseView> {
    const stage = stageOf(row.stage);
    const facts: OnboardingFacts = await this.facts.factsFor(manager, tenant.id);
    const snapshot: OnboardingSnapshot = { ...facts, stage };
    const timing = stageTiming(stage, row.stage_entered_at, now);
    const reader = actor.kind === 'client_admin' ? 'client' : 'staff';
    const progress = nextActions(snapshot, reader);
    const transitionActor = onboardingActorOf(actor);
    const availableTransitions: CaseView['availableTransitions'] = [];
    for (const to of ONBOARDING_STAGES) {
      if (to === stage) continue;
      const check = canTransition(snapshot, to, { actor: transitionActor, reason: 'motif' });
      if (check.ok) {
        availableTransitions.push({ to, label: ONBOARDING_STAGE_LABELS[to], kind: check.kind, reasonRequired: check.kind === 'rollback' });
      }
    }
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      siret: tenant.siret,
      stage,
      stageLabel: ONBOARDING_STAGE_LABELS[stage],
      stageEnteredAt: row.stage_entered_at.toISOString(),
      assignee: row.assignee_id && row.assignee_name ? { id: row.assignee_id, displayName: row.assignee_name } : null,
      dsFileNumber: row.ds_file_number,
      modes: { connexion: facts.modes.connexion, dataRetrieval: facts.modes.dataRetrieval },
      habilitations: {
        franceconnect: facts.habilitations.franceconnect ?? null,
        api_particulier: facts.habilitations.api_particulier ?? null,
      },
      timing: {
        workingDays: timing.workingDays,
        calendarDays: timing.calendarDays,
        slaWorkingDays: timing.slaWorkingDays,
        deadline: timing.deadline,
        overdue: timing.overdue,
        overdueBy: timing.overdueBy,
        waitingOn: timing.waitingOn,
        // In the reader's words: « Votre organisme » for the client's administrator, « Le client » for staff.
        waitingOnLabel: partyLabel(timing.waitingOn, reader),
        message: timing.message,
      },
      progress: {
        summary: progress.summary,
        done: [...progress.done],
        nextActions: progress.next.map((a) => ({ actor: a.actor, actorLabel: a.actorLabel, text: a.text })),
        blockers: progress.blockers.map((b) => ({ code: b.code, message: b.message, ...(b.itemIds ? { itemIds: [...b.itemIds] } : {}) })),
      },
      availableTransitions,
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
    };
  }
}

interface CommentRow {
  readonly id: string;
  readonly author_id: string | null;
  readonly author_type: string;
  readonly author_name: string;
  readonly body: string;
  readonly visibility: CommentVisibility;
  readonly created_at: Date;
}

/**
 * Who will read a new comment: staff must say it (no default: an internal note shown to a client
 * by mistake cannot be taken back); a client administrator writes to the team, never an internal note.
 */
function commentVisibilityOf(actor: Actor, asked: CommentVisibility | undefined): CommentVisibility {
  if (actor.kind === 'client_admin') {
    if (asked === 'internal') throw new AppError('FORBIDDEN', { detail: 'Les notes internes sont réservées à l’équipe de l’éditeur.' });
    return 'client';
  }
  if (!asked) throw validationError([{ path: 'visibility', message: 'choisissez « note interne » (équipe uniquement) ou « message au client »' }]);
  return asked;
}

function commentView(row: CommentRow): CommentView {
  return {
    id: row.id,
    author: { id: row.author_id, type: row.author_type, displayName: row.author_name },
    body: row.body,
    visibility: row.visibility,
    createdAt: row.created_at.toISOString(),
  };
}
