import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Onboarding cases, their stage history and comments, the qualification checklist, the
 * platform-wide onboarding settings, and indexes for the audit listing.
 *
 * - Every tenant has exactly one case: a unique index on `onboarding_case.tenant_id`, a trigger
 *   that opens the case (stage `created`) in the same statement that inserts the tenant, and a
 *   backfill for tenants that existed before this migration.
 * - `overdue_at` is the first instant at which the case is overdue at its current stage (start, in
 *   Europe/Paris, of the first working day beyond the SLA), computed by the API with the domain's
 *   working-day functions when the stage changes; `infinity` for a stage without SLA; NULL while
 *   not computed yet (cases opened by the trigger), which the API fills before listing. Filtering
 *   overdue cases is then an indexed `overdue_at <= now()`.
 * - The stage history is append-only (a trigger refuses UPDATE); rows go away only with their case.
 */
export class Onboarding1764100002000 implements MigrationInterface {
  name = 'Onboarding1764100002000';

  async up(q: QueryRunner): Promise<void> {
    const stages = [
      'created',
      'habilitations_requested',
      'habilitations_validated',
      'integration_credentials_received',
      'internal_check',
      'qualification_requested',
      'changes_requested',
      'qualified',
      'production_requested',
      'production_credentials_received',
      'live',
    ];
    const stageList = stages.map((s) => `'${s}'`).join(', ');
    const stageRank = `CASE stage ${stages.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

    await q.query(`
      CREATE TABLE onboarding_setting (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        editor_qualified_connexion boolean NOT NULL DEFAULT false,
        editor_qualified_data_retrieval boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL
      )`);
    await q.query(`INSERT INTO onboarding_setting DEFAULT VALUES`);

    await q.query(`
      CREATE TABLE onboarding_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        stage text NOT NULL DEFAULT 'created' CHECK (stage IN (${stageList})),
        stage_rank smallint GENERATED ALWAYS AS (${stageRank}) STORED,
        stage_entered_at timestamptz NOT NULL DEFAULT now(),
        deadline_on date NULL,
        overdue_at timestamptz NULL,
        assignee_id uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        ds_file_number text NULL CHECK (ds_file_number ~ '^[0-9]{1,12}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX onboarding_case_tenant_uq ON onboarding_case (tenant_id)`);
    await q.query(`CREATE INDEX onboarding_case_waiting_idx ON onboarding_case (stage_entered_at, tenant_id)`);
    await q.query(`CREATE INDEX onboarding_case_stage_idx ON onboarding_case (stage_rank, stage_entered_at, tenant_id)`);
    await q.query(`CREATE INDEX onboarding_case_stage_waiting_idx ON onboarding_case (stage, stage_entered_at, tenant_id)`);
    await q.query(`CREATE INDEX onboarding_case_pipeline_idx ON onboarding_case (stage, overdue_at)`);
    await q.query(`CREATE INDEX onboarding_case_overdue_idx ON onboarding_case (overdue_at, stage_entered_at)`);
    await q.query(
      `CREATE INDEX onboarding_case_assignee_idx ON onboarding_case (assignee_id, stage_entered_at) WHERE assignee_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX onboarding_case_timing_pending_idx ON onboarding_case (tenant_id) WHERE overdue_at IS NULL`);

    await q.query(`
      CREATE TABLE onboarding_stage_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES onboarding_case (tenant_id) ON DELETE CASCADE,
        from_stage text NULL CHECK (from_stage IN (${stageList})),
        to_stage text NOT NULL CHECK (to_stage IN (${stageList})),
        kind text NOT NULL CHECK (kind IN ('opened', 'advance', 'skip', 'rollback')),
        passed_through text[] NOT NULL DEFAULT '{}',
        reason text NULL CHECK (length(reason) <= 2000),
        ds_file_number text NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('staff', 'client_admin', 'api_token', 'system')),
        actor_id text NULL,
        request_id text NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX onboarding_stage_change_tenant_idx ON onboarding_stage_change (tenant_id, occurred_at, id)`);
    await q.query(`
      CREATE FUNCTION onboarding_stage_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'onboarding_stage_change is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER onboarding_stage_change_no_update BEFORE UPDATE ON onboarding_stage_change
      FOR EACH ROW EXECUTE FUNCTION onboarding_stage_change_is_append_only()`);

    await q.query(`
      CREATE TABLE onboarding_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES onboarding_case (tenant_id) ON DELETE CASCADE,
        author_id uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        author_type text NOT NULL CHECK (author_type IN ('staff', 'client_admin', 'api_token')),
        author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX onboarding_comment_tenant_idx ON onboarding_comment (tenant_id, created_at, id)`);

    await q.query(`
      CREATE TABLE qualification_check (
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        item_id text NOT NULL CHECK (item_id ~ '^FC-(0[1-9]|1[0-9]|2[0-2])$'),
        status text NOT NULL CHECK (status IN ('todo', 'passed', 'failed', 'not_applicable')),
        source text NOT NULL CHECK (source IN ('manual', 'robot')),
        evidence_text text NULL CHECK (length(evidence_text) <= 5000),
        evidence_url text NULL CHECK (evidence_url ~ '^https://' AND length(evidence_url) <= 2048),
        checked_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        checked_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, item_id)
      )`);

    // One case per tenant, opened with the tenant itself (whoever inserts it).
    await q.query(`
      CREATE FUNCTION onboarding_open_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO onboarding_case (tenant_id, stage, stage_entered_at) VALUES (NEW.id, 'created', NEW.created_at);
        INSERT INTO onboarding_stage_change (tenant_id, from_stage, to_stage, kind, actor_type, occurred_at)
          VALUES (NEW.id, NULL, 'created', 'opened', 'system', NEW.created_at);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER tenant_opens_onboarding_case AFTER INSERT ON tenant
      FOR EACH ROW EXECUTE FUNCTION onboarding_open_case()`);
    await q.query(`INSERT INTO onboarding_case (tenant_id, stage, stage_entered_at) SELECT id, 'created', created_at FROM tenant`);
    await q.query(`
      INSERT INTO onboarding_stage_change (tenant_id, from_stage, to_stage, kind, actor_type, occurred_at)
      SELECT id, NULL, 'created', 'opened', 'system', created_at FROM tenant`);

    // Audit listing: filters by actor and by action prefix, newest first.
    await q.query(`CREATE INDEX audit_log_actor_time_idx ON audit_log (actor_id, occurred_at) WHERE actor_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action text_pattern_ops, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_action_idx`);
    await q.query(`DROP INDEX audit_log_actor_time_idx`);
    await q.query(`DROP TRIGGER tenant_opens_onboarding_case ON tenant`);
    await q.query(`DROP FUNCTION onboarding_open_case()`);
    await q.query(`DROP TABLE qualification_check`);
    await q.query(`DROP TABLE onboarding_comment`);
    await q.query(`DROP TABLE onboarding_stage_change`);
    await q.query(`DROP FUNCTION onboarding_stage_change_is_append_only()`);
    await q.query(`DROP TABLE onboarding_case`);
    await q.query(`DROP TABLE onboarding_setting`);
  }
}
