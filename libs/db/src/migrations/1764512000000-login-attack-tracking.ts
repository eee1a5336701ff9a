import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console logins (issue 12, item 8): wrong passwords no longer lock an account (anyone could lock
 * anyone, admins included); they are throttled per (source IP, e-mail) in the API and counted
 * here per account over a window, so the owner and the staff administrators get ONE alert per
 * attack window. `failed_login_count` / `locked_until` keep counting second-factor failures.
 */
export class LoginAttackTracking1764512000000 implements MigrationInterface {
  name = 'LoginAttackTracking1764512000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN password_failure_count integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE app_user ADD COLUMN password_failures_since timestamptz`);
    await q.query(`ALTER TABLE app_user ADD COLUMN attack_alerted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN attack_alerted_at`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_failures_since`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_failure_count`);
  }
}
