import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pipeline analytics (`GET /api/onboarding/analytics`): the stays that ended within the window are
 * the stage changes with a `from_stage` since a date. This index finds them without reading the
 * whole history (which grows with every tenant and every move); `tenant_id`, `from_stage` and `id`
 * are included so the scan is index-only, and the previous change of each case (the start of the
 * stay) comes from `onboarding_stage_change_tenant_idx`.
 */
export class PipelineAnalytics1765900000000 implements MigrationInterface {
  name = 'PipelineAnalytics1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX onboarding_stage_change_window_idx ON onboarding_stage_change (occurred_at) INCLUDE (tenant_id, from_stage, id)
        WHERE from_stage IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX onboarding_stage_change_window_idx`);
  }
}
