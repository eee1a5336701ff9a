import type { MigrationInterface, QueryRunner } from 'typeorm';

const ITEM_ID = `'^FC-(0[1-9]|1[0-9]|2[0-2])$'`;

/**
 * The qualification robot (docs/qualification-robot.md):
 * - `qualification_robot_run`: one verification of one tenant's portal — why it was asked (staff,
 *   a change, the schedule), its progress, its outcome. At most one run waits per tenant (a partial
 *   unique index), so a burst of changes asks for one run, which sees the latest state;
 * - `qualification_robot_result`: each item's verdict with what was measured (never a secret);
 * - `qualification_robot_screenshot`: the screenshots, served to staff only, purged with the run;
 * - `qualification_robot_pass`: the pass of one run's browser, valid minutes, stored hashed. The
 *   robot sends it to the tenant's portal only, in a cookie, so the portal's per-IP limits do not
 *   mistake the robot for an attack; and when the tenant is live in production, it also names the
 *   NON-production environment whose client the robot logs in with (the CHECK refuses production).
 */
export class QualificationRobot1764800000000 implements MigrationInterface {
  name = 'QualificationRobot1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE qualification_robot_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        trigger text NOT NULL CHECK (trigger IN ('manual', 'change', 'schedule')),
        reason text NULL CHECK (length(reason) BETWEEN 1 AND 200),
        requested_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        progress_done integer NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
        progress_total integer NOT NULL DEFAULT 0 CHECK (progress_total >= 0),
        progress_label text NULL CHECK (length(progress_label) <= 200),
        portal_url text NULL CHECK (length(portal_url) <= 2048),
        live_environment text NULL CHECK (live_environment IN ('sandbox', 'integration', 'production', 'custom')),
        login_environment text NULL CHECK (login_environment IN ('sandbox', 'integration', 'custom')),
        counts jsonb NULL,
        error_code text NULL CHECK (error_code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
        error_message text NULL CHECK (length(error_message) <= 500),
        worker_id text NULL CHECK (length(worker_id) <= 200),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        heartbeat_at timestamptz NULL,
        finished_at timestamptz NULL,
        CHECK ((status IN ('completed', 'failed')) = (finished_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX qualification_robot_run_tenant_idx ON qualification_robot_run (tenant_id, requested_at DESC)`);
    await q.query(`CREATE UNIQUE INDEX qualification_robot_run_one_queued_uq ON qualification_robot_run (tenant_id) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX qualification_robot_run_open_idx ON qualification_robot_run (status, requested_at) WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE INDEX qualification_robot_run_finished_idx ON qualification_robot_run (finished_at) WHERE finished_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE qualification_robot_result (
        run_id uuid NOT NULL REFERENCES qualification_robot_run (id) ON DELETE CASCADE,
        item_id text NOT NULL CHECK (item_id ~ ${ITEM_ID}),
        verdict text NOT NULL CHECK (verdict IN ('passed', 'failed', 'not_verifiable', 'not_applicable')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
        findings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(findings) = 'array'),
        evidence jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evidence) = 'object' AND pg_column_size(evidence) <= 65536),
        environment text NULL CHECK (environment IN ('sandbox', 'integration', 'production', 'custom')),
        screenshots text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, item_id)
      )`);

    await q.query(`
      CREATE TABLE qualification_robot_screenshot (
        run_id uuid NOT NULL REFERENCES qualification_robot_run (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        png bytea NOT NULL CHECK (octet_length(png) <= 8388608),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, name)
      )`);

    await q.query(`
      CREATE TABLE qualification_robot_pass (
        token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        run_id uuid NULL REFERENCES qualification_robot_run (id) ON DELETE CASCADE,
        environment text NULL CHECK (environment IN ('sandbox', 'integration', 'custom')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > created_at AND expires_at <= created_at + interval '1 hour')
      )`);
    await q.query(`CREATE INDEX qualification_robot_pass_expires_idx ON qualification_robot_pass (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE qualification_robot_pass`);
    await q.query(`DROP TABLE qualification_robot_screenshot`);
    await q.query(`DROP TABLE qualification_robot_result`);
    await q.query(`DROP TABLE qualification_robot_run`);
  }
}
