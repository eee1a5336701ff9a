import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may read an onboarding comment (issue 16): `internal` (the editor's team only) or `client`
 * (the client's administrators too). Every comment written before is `internal`: staff comments
 * were shown to clients without anyone choosing it, and an unknown intent is safest kept in-house.
 * Comments by client administrators are messages to the team, so those become `client`.
 */
export class CommentVisibility1765500000000 implements MigrationInterface {
  name = 'CommentVisibility1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE onboarding_comment ADD COLUMN visibility text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'client'))`);
    await q.query(`UPDATE onboarding_comment SET visibility = 'client' WHERE author_type = 'client_admin'`);
    // From now on every insert says it: no default to fall back on.
    await q.query(`ALTER TABLE onboarding_comment ALTER COLUMN visibility DROP DEFAULT`);
    await q.query(`CREATE INDEX onboarding_comment_tenant_visibility_idx ON onboarding_comment (tenant_id, visibility, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX onboarding_comment_tenant_visibility_idx`);
    await q.query(`ALTER TABLE onboarding_comment DROP COLUMN visibility`);
  }
}
