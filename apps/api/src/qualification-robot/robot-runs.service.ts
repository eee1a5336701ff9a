import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@fcplat/common';
import { appendAudit } from '@fcplat/db';
import {
  ROBOT_RUN_STATUS_LABELS,
  ROBOT_RUN_TRIGGER_LABELS,
  ROBOT_VERDICT_LABELS,
  isQualificationItemId,
  qualificationItem,
  robotDisagrees,
  type FranceConnectEnvironment,
  type ItemStatus,
  type QualificationItemId,
  type RobotRunStatus,
  type RobotRunTrigger,
  type RobotVerdict,
} from '@fcplat/domain';
import { ROBOT_RUN_JOB, requestRobotRun, robotRunJobId } from '@fcplat/qualification-runs';
import type { JobProducer } from '@fcplat/queue';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE, JOB_PRODUCER } from '../infrastructure/tokens.js';
import { isUuid, selectOne, selectRows } from '../database/raw-sql.js';
import { assertStaffWriter, resolveTenant } from '../auth/tenant-access.js';
import type { RobotOverviewView, RobotRunDetailView, RobotRunView } from '@fcplat/contract';

interface RunRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly trigger: RobotRunTrigger;
  readonly reason: string | null;
  readonly requested_by: string | null;
  readonly requested_by_name: string | null;
  readonly status: RobotRunStatus;
  readonly progress_done: number;
  readonly progress_total: number;
  readonly progress_label: string | null;
  readonly portal_url: string | null;
  readonly live_environment: FranceConnectEnvironment | null;
  readonly login_environment: FranceConnectEnvironment | null;
  readonly counts: Record<RobotVerdict, number> | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly requested_at: Date;
  readonly started_at: Date | null;
  readonly finished_at: Date | null;
}

interface ResultRow {
  readonly item_id: string;
  readonly verdict: RobotVerdict;
  readonly summary: string;
  readonly findings: string[];
  readonly evidence: Record<string, unknown>;
  readonly environment: FranceConnectEnvironment | null;
  readonly screenshots: string[];
}

const RUN_COLUMNS = `r.id, r.tenant_id, r.trigger, r.reason, r.requested_by, u.display_name AS requested_by_name, r.status, r.progress_done,
  r.progress_total, r.progress_label, r.portal_url, r.live_environment, r.login_environment, r.counts, r.error_code, r.error_message,
  r.requested_at, r.started_at, r.finished_at`;
const RUN_FROM = `qualification_robot_run r LEFT JOIN app_user u ON u.id = r.requested_by`;
const RUN_NOT_FOUND = 'Vérification introuvable.';
const SCREENSHOT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The qualification robot as staff see it (docs/qualification-robot.md): ask for a run (recorded
 * in PostgreSQL, then enqueued; the worker's sweep enqueues it anyway if the queue was down), the
 * last completed run with each item's verdict and evidence, what changed since the run before,
 * where a person's checklist verdict disagrees, the progress of the run under way, the history,
 * and the screenshots (staff only).
 */
@Injectable()
export class RobotRunsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('QualificationRobot');
  }

  /** Staff ask for a run now. A run already waiting serves the request (it will see the latest state). */
  async request(actor: Actor, requestId: string | null, tenantId: string): Promise<RobotRunView> {
    const { runId, created } = await this.dataSource.transaction(async (manager) => {
      await resolveTenant(manager, actor, tenantId);
      assertStaffWriter(actor);
      const offers = await selectOne<{ offers: boolean }>(manager, `SELECT connexion_enabled OR data_retrieval_enabled AS offers FROM tenant WHERE id = $1`, [tenantId]);
      if (!offers?.offers) {
        throw new AppError('CONFLICT', { detail: 'Ce client n’utilise pas FranceConnect (ni connexion, ni récupération des données) : rien à vérifier.' });
      }
      const requested = await requestRobotRun(manager, { tenantId, trigger: 'manual', requestedBy: actor.userId });
      if (requested.created) {
        await appendAudit(manager, {
          actor: auditActorOf(actor),
          tenantId,
          action: 'qualification.robot_run_requested',
          target: { type: 'qualification_robot_run', id: requested.runId },
          changes: {},
          requestId,
        });
      }
      return requested;
    });
    // After commit (never from inside a transaction); a queue that is down only delays the run.
    await this.producer.enqueue(ROBOT_RUN_JOB, { tenantId, runId }, { jobId: robotRunJobId(runId, 0), attempts: 1 }).catch((error: unknown) => {
      this.logger.warn({ tenantId, runId, created, code: error instanceof AppError ? error.code : 'unexpected' }, 'robot run recorded, enqueue deferred to the sweep');
    });
    const row = await this.runRow(this.dataSource.manager, tenantId, runId);
    if (!row) throw new AppError('NOT_FOUND', { detail: RUN_NOT_FOUND });
    return runView(row);
  }

  async overview(actor: Actor, tenantId: string): Promise<RobotOverviewView> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const pendingRow = await selectOne<RunRow>(
      manager,
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.tenant_id = $1 AND r.status IN ('queued', 'running')
        ORDER BY (r.status = 'running') DESC, r.requested_at LIMIT 1`,
      [tenantId],
    );
    const completed = await this.lastCompletedRow(manager, tenantId);
    const failure = await selectOne<RunRow>(
      manager,
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.tenant_id = $1 AND r.status = 'failed' AND r.finished_at > $2 ORDER BY r.finished_at DESC LIMIT 1`,
      [tenantId, completed?.finished_at ?? new Date(0)],
    );
    const lastCompleted = completed ? await this.detail(manager, completed) : null;
    return {
      tenantId,
      pending: pendingRow ? runView(pendingRow) : null,
      lastCompleted,
      lastFailure: failure ? runView(failure) : null,
      blocking: lastCompleted ? lastCompleted.items.filter((i) => i.verdict === 'failed').map((i) => i.id) : [],
    };
  }

  async list(actor: Actor, tenantId: string): Promise<{ items: RobotRunView[] }> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const rows = await selectRows<RunRow>(manager, `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.tenant_id = $1 ORDER BY r.requested_at DESC LIMIT 50`, [tenantId]);
    return { items: rows.map(runView) };
  }

  async run(actor: Actor, tenantId: string, runId: string): Promise<RobotRunDetailView> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const row = isUuid(runId) ? await this.runRow(manager, tenantId, runId) : null;
    if (!row) throw new AppError('NOT_FOUND', { detail: RUN_NOT_FOUND });
    return this.detail(manager, row);
  }

  /** A screenshot's PNG (staff only, like the rest of the robot's evidence). */
  async screenshot(actor: Actor, tenantId: string, runId: string, name: string): Promise<Buffer> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    if (!isUuid(runId) || !SCREENSHOT_NAME.test(name)) throw new AppError('NOT_FOUND', { detail: 'Capture introuvable.' });
    const row = await selectOne<{ png: Buffer }>(
      manager,
      `SELECT s.png FROM qualification_robot_screenshot s JOIN qualification_robot_run r ON r.id = s.run_id
        WHERE s.run_id = $1 AND r.tenant_id = $2 AND s.name = $3`,
      [runId, tenantId, name],
    );
    if (!row) throw new AppError('NOT_FOUND', { detail: 'Capture introuvable.' });
    return row.png;
  }

  /** The last completed run in detail, for the qualification dossier (no access check: the caller did it). */
  async lastCompletedDetail(manager: EntityManager, tenantId: string): Promise<RobotRunDetailView | null> {
    const row = await this.lastCompletedRow(manager, tenantId);
    return row ? this.detail(manager, row) : null;
  }

  private lastCompletedRow(manager: EntityManager, tenantId: string): Promise<RunRow | null> {
    return selectOne<RunRow>(
      manager,
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.tenant_id = $1 AND r.status = 'completed' ORDER BY r.finished_at DESC LIMIT 1`,
      [tenantId],
    );
  }

  /** PNG bytes of the screenshots of a run, for the dossier (caller checked access). */
  async screenshotsOf(manager: EntityManager, runId: string): Promise<Map<string, { label: string; png: Buffer }>> {
    const rows = await selectRows<{ name: string; label: string; png: Buffer }>(manager, `SELECT name, label, png FROM qualification_robot_screenshot WHERE run_id = $1 ORDER BY name`, [runId]);
    return new Map(rows.map((r) => [r.name, { label: r.label, png: r.png }]));
  }

  private runRow(manager: EntityManager, tenantId: string, runId: string): Promise<RunRow | null> {
    return selectOne<RunRow>(manager, `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id = $1 AND r.tenant_id = $2`, [runId, tenantId]);
  }

  private async detail(manager: EntityManager, row: RunRow): Promise<RobotRunDetailView> {
    const results = await selectRows<ResultRow>(
      manager,
      `SELECT item_id, verdict, summary, findings, evidence, environment, screenshots FROM qualification_robot_result WHERE run_id = $1 ORDER BY item_id`,
      [row.id],
    );
    const previous =
      row.status === 'completed' && row.finished_at
        ? await selectOne<{ id: string }>(
            manager,
            `SELECT id FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'completed' AND finished_at < $2 ORDER BY finished_at DESC LIMIT 1`,
            [row.tenant_id, row.finished_at],
          )
        : null;
    const previousVerdicts = new Map<string, RobotVerdict>();
    if (previous) {
      for (const r of await selectRows<{ item_id: string; verdict: RobotVerdict }>(manager, `SELECT item_id, verdict FROM qualification_robot_result WHERE run_id = $1`, [previous.id])) {
        previousVerdicts.set(r.item_id, r.verdict);
      }
    }
    const people = new Map<string, ItemStatus>();
    for (const c of await selectRows<{ item_id: string; status: ItemStatus }>(
      manager,
      `SELECT item_id, status FROM qualification_check WHERE tenant_id = $1 AND source = 'manual' AND status <> 'todo'`,
      [row.tenant_id],
    )) {
      people.set(c.item_id, c.status);
    }
    const labels = new Map<string, string>();
    for (const s of await selectRows<{ name: string; label: string }>(manager, `SELECT name, label FROM qualification_robot_screenshot WHERE run_id = $1`, [row.id])) {
      labels.set(s.name, s.label);
    }
    const items = results
      .filter((r): r is ResultRow & { item_id: QualificationItemId } => isQualificationItemId(r.item_id))
      .map((r) => {
        const before = previousVerdicts.get(r.item_id) ?? null;
        const person = people.get(r.item_id);
        return {
          id: r.item_id,
          title: qualificationItem(r.item_id).title,
          verdict: r.verdict,
          verdictLabel: ROBOT_VERDICT_LABELS[r.verdict],
          summary: r.summary,
          findings: r.findings,
          evidence: r.evidence,
          environment: r.environment,
          screenshots: r.screenshots
            .filter((name) => labels.has(name))
            .map((name) => ({ name, label: labels.get(name) ?? name, url: `/api/tenants/${row.tenant_id}/qualification/robot/runs/${row.id}/screenshots/${name}` })),
          previousVerdict: before,
          changed: previous !== null && before !== r.verdict,
          person: person ? { status: person, disagrees: robotDisagrees(person, r.verdict) } : null,
        };
      });
    return { ...runView(row), items, previousRunId: previous?.id ?? null };
  }
}

function runView(row: RunRow): RobotRunView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    trigger: row.trigger,
    triggerLabel: ROBOT_RUN_TRIGGER_LABELS[row.trigger],
    reason: row.reason,
    requestedBy: row.requested_by && row.requested_by_name ? { id: row.requested_by, displayName: row.requested_by_name } : null,
    status: row.status,
    statusLabel: ROBOT_RUN_STATUS_LABELS[row.status],
    progress: { done: row.progress_done, total: row.progress_total, label: row.progress_label },
    portalUrl: row.portal_url,
    liveEnvironment: row.live_environment,
    loginEnvironment: row.login_environment,
    counts: row.counts,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    requestedAt: row.requested_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.started_at && row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
  };
}
