import type { DataSource } from 'typeorm';
import { isRobotCheckable, qualificationItem, type FranceConnectEnvironment, type RobotVerdict } from '@fcplat/domain';
import type { RobotReport } from '@fcplat/qualification-robot';
import { recordNotificationEvent } from '@fcplat/db';
import { recordRobotChecklistResult } from './checklist.js';

export interface StartedRun {
  readonly runId: string;
  readonly tenantId: string;
}

/**
 * Takes a waiting run for this worker: `queued` → `running` in one UPDATE, so two workers handed
 * the same job (a redelivery) never both run it. A run already running with a fresh heartbeat is
 * left alone; one whose worker stopped beating is taken over.
 */
export async function takeRun(dataSource: DataSource, runId: string, workerId: string, staleAfterMs: number): Promise<StartedRun | null> {
  const [rows] = (await dataSource.query(
    `UPDATE qualification_robot_run
        SET status = 'running', started_at = now(), heartbeat_at = now(), worker_id = $2, attempts = attempts + 1,
            progress_done = 0, progress_total = 0, progress_label = NULL
      WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $3)))
      RETURNING id, tenant_id`,
    [runId, workerId, staleAfterMs / 1000],
  )) as [Array<{ id: string; tenant_id: string }>, number];
  const row = rows[0];
  return row ? { runId: row.id, tenantId: row.tenant_id } : null;
}

/** Progress for the console (and the heartbeat that proves the run's worker is alive). */
export async function recordProgress(dataSource: DataSource, runId: string, done: number, total: number, label: string): Promise<void> {
  await dataSource.query(
    `UPDATE qualification_robot_run SET progress_done = $2, progress_total = $3, progress_label = $4, heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
    [runId, done, total, label.slice(0, 200)],
  );
}

export async function recordTarget(
  dataSource: DataSource,
  runId: string,
  portalUrl: string,
  live: FranceConnectEnvironment | null,
  login: Exclude<FranceConnectEnvironment, 'production'> | null,
): Promise<void> {
  await dataSource.query(`UPDATE qualification_robot_run SET portal_url = $2, live_environment = $3, login_environment = $4 WHERE id = $1`, [
    runId,
    portalUrl,
    live,
    login,
  ]);
}

/**
 * Stores a finished run in one transaction: each item's verdict and evidence, the screenshots,
 * the counts, and the checklist update — passed/failed items whose checklist entry no person
 * decided (a person's verdict is never overwritten; the console shows the disagreement).
 */
export async function completeRun(dataSource: DataSource, run: StartedRun, report: RobotReport): Promise<Record<RobotVerdict, number>> {
  const counts: Record<RobotVerdict, number> = { passed: 0, failed: 0, not_verifiable: 0, not_applicable: 0 };
  for (const item of report.items) counts[item.verdict] += 1;
  await dataSource.transaction(async (manager) => {
    for (const item of report.items) {
      await manager.query(
        `INSERT INTO qualification_robot_result (run_id, item_id, verdict, summary, findings, evidence, environment, screenshots)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
        [run.runId, item.id, item.verdict, item.summary.slice(0, 1000), JSON.stringify(item.findings), JSON.stringify(item.evidence), item.environment, [...item.screenshots]],
      );
    }
    for (const shot of report.screenshots) {
      await manager.query(`INSERT INTO qualification_robot_screenshot (run_id, name, label, png) VALUES ($1, $2, $3, $4)`, [run.runId, shot.name, shot.label.slice(0, 200), shot.png]);
    }
    const manual = (await manager.query(`SELECT item_id FROM qualification_check WHERE tenant_id = $1 AND source = 'manual' AND status <> 'todo'`, [run.tenantId])) as Array<{
      item_id: string;
    }>;
    const decidedByPerson = new Set(manual.map((m) => m.item_id));
    for (const item of report.items) {
      if ((item.verdict !== 'passed' && item.verdict !== 'failed') || decidedByPerson.has(item.id) || !isRobotCheckable(qualificationItem(item.id))) continue;
      const findings = item.findings.length > 0 ? ` ${item.findings.join(' ')}` : '';
      await recordRobotChecklistResult(manager, run.tenantId, item.id, { status: item.verdict, checkedAt: report.finishedAt, note: `Robot : ${item.summary}${findings}` });
    }
    await manager.query(
      `UPDATE qualification_robot_run SET status = 'completed', finished_at = now(), counts = $2::jsonb, progress_label = NULL, error_code = NULL, error_message = NULL
        WHERE id = $1`,
      [run.runId, JSON.stringify(counts)],
    );
    // Failing prerequisites: staff are told, in the same transaction (docs/notifications.md).
    const failedItems = report.items.filter((item) => item.verdict === 'failed').map((item) => item.id);
    if (failedItems.length > 0) {
      await recordNotificationEvent(manager, { kind: 'robot_checks_failed', tenantId: run.tenantId, dedupKey: `robot_checks_failed:${run.runId}`, data: { runId: run.runId, failedItems, runError: null } });
    }
  });
  return counts;
}

/** A run that could not complete; `message` is French and shown to staff (never a secret), and staff are told. */
export async function failRun(dataSource: DataSource, runId: string, code: string, message: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const [rows] = (await manager.query(
      `UPDATE qualification_robot_run SET status = 'failed', finished_at = now(), error_code = $2, error_message = $3, progress_label = NULL
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING tenant_id`,
      [runId, code, message.slice(0, 500)],
    )) as [Array<{ tenant_id: string }>, number];
    const failed = rows[0];
    if (!failed) return;
    await recordNotificationEvent(manager, { kind: 'robot_checks_failed', tenantId: failed.tenant_id, dedupKey: `robot_checks_failed:${runId}`, data: { runId, failedItems: [], runError: message.slice(0, 500) } });
  });
}
