import type { DataSource } from 'typeorm';

/** A stage change of a written history: the case entered `to` on the Paris calendar date `on`. */
export interface StageMove {
  readonly to: string;
  readonly on: string;
}

/** 10:00 (winter) or 11:00 (summer) in Paris on `date`: the instant of a stage change that day. */
export function stageChangeInstant(date: string): Date {
  return new Date(`${date}T09:00:00Z`);
}

/**
 * Replaces a case's stage history by `moves` (the first one opens the case, the others advance it)
 * and puts the case at the last one with `assigneeId`; its stored timing is left for the API to
 * recompute (`overdue_at` NULL), as after an SLA change. For analytics tests: stays of known
 * lengths at known dates.
 */
export async function writeStageHistory(dataSource: DataSource, tenantId: string, assigneeId: string | null, moves: readonly StageMove[]): Promise<void> {
  const last = moves[moves.length - 1];
  if (!last) throw new Error('writeStageHistory: at least one move (the opening)');
  await dataSource.query(`DELETE FROM onboarding_stage_change WHERE tenant_id = $1`, [tenantId]);
  let from: string | null = null;
  for (const move of moves) {
    await dataSource.query(
      `INSERT INTO onboarding_stage_change (tenant_id, from_stage, to_stage, kind, actor_type, occurred_at) VALUES ($1, $2, $3, $4, 'system', $5)`,
      [tenantId, from, move.to, from === null ? 'opened' : 'advance', stageChangeInstant(move.on)],
    );
    from = move.to;
  }
  await dataSource.query(
    `UPDATE onboarding_case SET stage = $2, stage_entered_at = $3, assignee_id = $4, deadline_on = NULL, overdue_at = NULL WHERE tenant_id = $1`,
    [tenantId, last.to, stageChangeInstant(last.on), assigneeId],
  );
}
