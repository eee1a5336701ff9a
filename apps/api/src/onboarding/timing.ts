import { STAGE_SLAS, addWorkingDays, isOnboardingStage, stageDeadline, type CalendarDate, type OnboardingStage } from '@fcplat/domain';
import type { EntityManager } from 'typeorm';
import { selectRows } from '../database/raw-sql.js';

/**
 * What the database keeps about the timing of a case at its current stage, so lists can filter
 * and count overdue cases with an index instead of computing working days row by row:
 * - `deadlineOn`: the domain's deadline, the last Paris date still on time (null without SLA);
 * - `overdueFrom`: the first Paris date on which the case is overdue, i.e. the day its waiting
 *   time exceeds the SLA (`addWorkingDays(enteredAt, sla + 1)`); stored as that date's midnight
 *   in Europe/Paris in `overdue_at` (`infinity` without SLA).
 * Overdue at instant `now` ⇔ `overdue_at <= now` ⇔ the domain's `isOverdue(stage, enteredAt, now)`.
 */
export interface StoredTiming {
  readonly deadlineOn: CalendarDate | null;
  readonly overdueFrom: CalendarDate | null;
}

export function storedTiming(stage: OnboardingStage, enteredAt: Date): StoredTiming {
  const sla = STAGE_SLAS[stage].workingDays;
  return {
    deadlineOn: stageDeadline(stage, enteredAt),
    overdueFrom: sla === null ? null : addWorkingDays(enteredAt, sla + 1),
  };
}

/** SQL expression turning a `date` parameter (Paris calendar date, or NULL = no SLA) into `overdue_at`. */
export function overdueAtSql(parameter: string): string {
  return `COALESCE((${parameter}::date)::timestamp AT TIME ZONE 'Europe/Paris', 'infinity'::timestamptz)`;
}

const BATCH = 1000;

/**
 * Computes the stored timing of cases that have none yet (opened by the database trigger with
 * their tenant, or whose `overdue_at` was reset to be recomputed, e.g. after an SLA change).
 * Cheap when there is nothing to do (partial index on `overdue_at IS NULL`). A row whose stage
 * moved meanwhile is left alone: the move wrote its own timing, so `overdue_at` is no longer NULL
 * (PostgreSQL re-checks the condition on the locked row).
 */
export async function refreshPendingTimings(manager: EntityManager): Promise<number> {
  let refreshed = 0;
  for (;;) {
    const pending = await selectRows<{ tenant_id: string; stage: string; stage_entered_at: Date }>(
      manager,
      `SELECT tenant_id, stage, stage_entered_at FROM onboarding_case WHERE overdue_at IS NULL LIMIT ${BATCH}`,
    );
    if (pending.length === 0) return refreshed;
    const ids: string[] = [];
    const stages: string[] = [];
    const deadlines: (string | null)[] = [];
    const overdue: (string | null)[] = [];
    for (const row of pending) {
      if (!isOnboardingStage(row.stage)) continue;
      const timing = storedTiming(row.stage, row.stage_entered_at);
      ids.push(row.tenant_id);
      stages.push(row.stage);
      deadlines.push(timing.deadlineOn);
      overdue.push(timing.overdueFrom);
    }
    const updated = await selectRows<{ tenant_id: string }>(
      manager,
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[]) AS v(tenant_id, stage, deadline_on, overdue_from)
       ), u AS (
         UPDATE onboarding_case c
            SET deadline_on = v.deadline_on, overdue_at = ${overdueAtSql('v.overdue_from')}
           FROM v
          WHERE c.tenant_id = v.tenant_id AND c.overdue_at IS NULL AND c.stage = v.stage
         RETURNING c.tenant_id
       ) SELECT tenant_id FROM u`,
      [ids, stages, deadlines, overdue],
    );
    refreshed += updated.length;
    // Rows that could not be updated (unknown stage, moved meanwhile) would loop forever: stop.
    if (updated.length < pending.length) return refreshed;
  }
}
