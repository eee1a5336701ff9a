import type { EntityManager } from 'typeorm';
import type { RobotRunTrigger } from '@fcplat/domain';

/** The job that runs one robot run (its payload names the run; everything else is in PostgreSQL). */
export const ROBOT_RUN_JOB = 'qualification.robot-run' as const;

export interface RobotRunRequest {
  readonly tenantId: string;
  readonly trigger: RobotRunTrigger;
  /** Why, in a few French words (« Personnalisation du portail modifiée »). */
  readonly reason?: string | null;
  readonly requestedBy?: string | null;
}

export interface RequestedRun {
  readonly runId: string;
  /** false: a run was already waiting for this tenant; it will see the latest state, so it serves this request too. */
  readonly created: boolean;
}

/**
 * Records a run request in the caller's transaction. At most one run waits per tenant (partial
 * unique index), so a burst of changes asks for one run. Nothing is enqueued here (never from
 * inside a transaction): the caller enqueues after commit, and the worker's sweep enqueues any
 * waiting run that has no job (a queue restart loses nothing).
 */
export async function requestRobotRun(manager: EntityManager, request: RobotRunRequest): Promise<RequestedRun> {
  const inserted = (await manager.query(
    `INSERT INTO qualification_robot_run (tenant_id, trigger, reason, requested_by)
     SELECT id, $2, $3, $4 FROM tenant WHERE id = $1
     ON CONFLICT (tenant_id) WHERE status = 'queued' DO NOTHING
     RETURNING id`,
    [request.tenantId, request.trigger, request.reason?.slice(0, 200) || null, request.requestedBy ?? null],
  )) as Array<{ id: string }>;
  if (inserted[0]) return { runId: inserted[0].id, created: true };
  const waiting = (await manager.query(`SELECT id FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'queued'`, [request.tenantId])) as Array<{ id: string }>;
  if (!waiting[0]) throw new Error(`qualification robot: tenant ${request.tenantId} not found`);
  return { runId: waiting[0].id, created: false };
}

/**
 * A change that can affect a prerequisite (portal branding, FranceConnect credentials, modes,
 * live environment): asks for a run when the tenant offers FranceConnect at all.
 */
export async function requestRobotRunAfterChange(manager: EntityManager, tenantId: string, reason: string): Promise<RequestedRun | null> {
  const rows = (await manager.query(`SELECT connexion_enabled OR data_retrieval_enabled AS offers FROM tenant WHERE id = $1 AND status = 'active'`, [tenantId])) as Array<{
    offers: boolean;
  }>;
  if (!rows[0]?.offers) return null;
  return requestRobotRun(manager, { tenantId, trigger: 'change', reason });
}
