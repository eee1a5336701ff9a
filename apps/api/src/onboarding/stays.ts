import { isOnboardingStage, measureStay } from '@fcplat/domain';
import type { EntityManager } from 'typeorm';
import { selectRows } from '../database/raw-sql.js';

const BATCH = 1000;

/**
 * Measures the stays not measured yet: each stage change with a `from_stage` ends a stay that
 * started with the previous change of the same case; its length in working days, first overdue
 * date and whether it met its SLA come from the domain (`measureStay`) and are stored on the row,
 * with the case's assignee at that moment (the per-assignee figures group by it, no join)
 * (the one UPDATE the append-only history accepts, see migration 1765900000000). New stage changes
 * and the history written before the migration are measured here, lazily, before the analytics
 * aggregate (cheap when there is nothing to do: partial index on the unmeasured rows). Like
 * `refreshPendingTimings`, a concurrent refresh only repeats the same values (`stay_working_days IS
 * NULL` is re-checked on the locked row).
 */
export async function refreshStayMeasures(manager: EntityManager): Promise<number> {
  let measured = 0;
  // Keyset over the unmeasured rows: a row that cannot be measured is passed over, never re-read in this call.
  let after = '0';
  for (;;) {
    const pending = await selectRows<{ id: string; from_stage: string; occurred_at: Date; started_at: Date | null; assignee_id: string | null }>(
      manager,
      `SELECT c.id::text AS id, c.from_stage, c.occurred_at, prev.occurred_at AS started_at, oc.assignee_id::text AS assignee_id
         FROM onboarding_stage_change c
         LEFT JOIN onboarding_case oc ON oc.tenant_id = c.tenant_id
         LEFT JOIN LATERAL (
           SELECT p.occurred_at FROM onboarding_stage_change p
            WHERE p.tenant_id = c.tenant_id AND (p.occurred_at, p.id) < (c.occurred_at, c.id)
            ORDER BY p.occurred_at DESC, p.id DESC
            LIMIT 1) prev ON true
        WHERE c.from_stage IS NOT NULL AND c.stay_working_days IS NULL AND c.id > $1::bigint
        ORDER BY c.id
        LIMIT ${BATCH}`,
      [after],
    );
    if (pending.length === 0) return measured;
    after = (pending[pending.length - 1] as { id: string }).id;
    const ids: string[] = [];
    const started: Date[] = [];
    const days: number[] = [];
    const overdueOn: (string | null)[] = [];
    const met: (boolean | null)[] = [];
    const assignees: (string | null)[] = [];
    for (const row of pending) {
      // A stay without a start (a history that does not begin with its opening) or at an unknown stage
      // cannot be measured: left out of the analytics.
      if (!row.started_at || !isOnboardingStage(row.from_stage)) continue;
      const measures = measureStay(row.from_stage, row.started_at, row.occurred_at);
      ids.push(row.id);
      started.push(row.started_at);
      days.push(measures.workingDays);
      overdueOn.push(measures.overdueOn);
      met.push(measures.met);
      assignees.push(row.assignee_id);
    }
    const updated =
      ids.length === 0
        ? []
        : await selectRows<{ id: string }>(
            manager,
            `WITH v AS (
               SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::int[], $4::date[], $5::boolean[], $6::uuid[]) AS v(id, started_at, days, overdue_on, met, assignee_id)
             ), u AS (
               UPDATE onboarding_stage_change c
                  SET stay_started_at = v.started_at, stay_working_days = v.days, stay_overdue_on = v.overdue_on, stay_met = v.met,
                      stay_assignee_id = v.assignee_id
                 FROM v
                WHERE c.id = v.id AND c.stay_working_days IS NULL
               RETURNING c.id
             ) SELECT id::text AS id FROM u`,
            [ids, started, days, overdueOn, met, assignees],
          );
    measured += updated.length;
    if (pending.length < BATCH) return measured;
  }
}
