import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLogAndJobOutcome1764000000000 implements MigrationInterface {
  name = 'AuditLogAndJobOutcome1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('staff', 'client_admin', 'citizen', 'api_token', 'system', 'webhook')),
        actor_id text NULL,
        tenant_id uuid NULL,
        action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]*$'),
        target_type text NULL,
        target_id text NULL,
        changes jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id text NULL
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_log_time_idx ON audit_log (occurred_at)`);
    await q.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`);

    await q.query(`
      CREATE TABLE job_outcome (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_id text NOT NULL,
        job_name text NOT NULL,
        tenant_id uuid NULL,
        status text NOT NULL CHECK (status IN ('completed', 'failed')),
        attempts integer NOT NULL CHECK (attempts >= 0),
        error_code text NULL,
        worker_id text NOT NULL,
        enqueued_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX job_outcome_queue_job_uq ON job_outcome (queue, job_id)`);
    await q.query(`CREATE INDEX job_outcome_name_finished_idx ON job_outcome (job_name, finished_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_outcome`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_is_append_only()`);
  }
}
