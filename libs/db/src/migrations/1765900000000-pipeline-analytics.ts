import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pipeline analytics (`GET /api/onboarding/analytics`, docs/onboarding-analytics.md).
 *
 * A stage change with a `from_stage` ends a *stay* at that stage. Its measures are kept on the row,
 * computed once by the API with the domain's working-day rules (French public holidays are
 * TypeScript, not SQL): `stay_started_at` (the previous change of the case), `stay_working_days`,
 * `stay_overdue_on` (the stay's first overdue Paris date, NULL without SLA) and `stay_met` (left
 * within the SLA; NULL without SLA), `stay_assignee_id` (the case's assignee when the stay was
 * measured, NULL for none: the per-assignee figures group by it, with no join to the cases). NULL
 * `stay_working_days` = not measured yet: the API measures
 * such rows (partial index `onboarding_stage_change_stay_pending_idx`) before it aggregates,
 * including every row older than this migration.
 *
 * The history stays append-only, with one exception: an UPDATE that only fills the measures of a
 * row not measured yet (every other column unchanged).
 *
 * `onboarding_stage_change_window_idx` finds the stays that ended since a date and carries their
 * measures, so the aggregation reads the index only.
 */
export class PipelineAnalytics1765900000000 implements MigrationInterface {
  name = 'PipelineAnalytics1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE onboarding_stage_change
        ADD COLUMN stay_started_at timestamptz NULL,
        ADD COLUMN stay_working_days integer NULL CHECK (stay_working_days >= 0),
        ADD COLUMN stay_overdue_on date NULL,
        ADD COLUMN stay_met boolean NULL,
        ADD COLUMN stay_assignee_id uuid NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION onboarding_stage_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.stay_working_days IS NULL
           AND to_jsonb(NEW) - '{stay_started_at,stay_working_days,stay_overdue_on,stay_met,stay_assignee_id}'::text[]
             = to_jsonb(OLD) - '{stay_started_at,stay_working_days,stay_overdue_on,stay_met,stay_assignee_id}'::text[] THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'onboarding_stage_change is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(
      `CREATE INDEX onboarding_stage_change_window_idx ON onboarding_stage_change (occurred_at)
         INCLUDE (from_stage, stay_assignee_id, stay_working_days, stay_met, stay_overdue_on)
        WHERE from_stage IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX onboarding_stage_change_stay_pending_idx ON onboarding_stage_change (id)
        WHERE from_stage IS NOT NULL AND stay_working_days IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX onboarding_stage_change_stay_pending_idx`);
    await q.query(`DROP INDEX onboarding_stage_change_window_idx`);
    await q.query(`
      CREATE OR REPLACE FUNCTION onboarding_stage_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'onboarding_stage_change is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      ALTER TABLE onboarding_stage_change
        DROP COLUMN stay_assignee_id, DROP COLUMN stay_met, DROP COLUMN stay_overdue_on, DROP COLUMN stay_working_days, DROP COLUMN stay_started_at`);
  }
}
