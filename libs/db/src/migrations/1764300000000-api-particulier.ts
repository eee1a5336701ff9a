import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API Particulier calls (SR-30, SR-34, SR-36):
 * - `api_particulier_call`: one row per call, the record of traceability AND the source of truth
 *   of the queue: a call exists here before any job does, so a lost job (worker killed, Redis
 *   restarted empty) is found again and re-queued. Inputs (pivot identity, INE, FranceConnect token)
 *   are stored encrypted only until the call ends; the useful part of the answer is stored
 *   encrypted until `result_expires_at`; the raw answer is never stored.
 * - `api_particulier_batch`: an agent's uploaded list of dossiers, with its per-line report.
 * - `api_particulier_lane`: per-tenant dispatch bookkeeping for round-robin fairness.
 * - `rate_limit_bucket`: shared GCRA buckets (platform-wide per-IP ceiling, per-token limits)
 *   and 429 pauses, in PostgreSQL so every worker process sees the same budget.
 */
export class ApiParticulier1764300000000 implements MigrationInterface {
  name = 'ApiParticulier1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_particulier_batch (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        api text NOT NULL CHECK (api IN ('quotient_familial', 'statut_etudiant', 'statut_etudiant_boursier', 'complementaire_sante_solidaire')),
        modality text NOT NULL CHECK (modality IN ('pivot_identity', 'ine')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        created_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        total_lines integer NOT NULL CHECK (total_lines >= 0),
        accepted_lines integer NOT NULL CHECK (accepted_lines >= 0),
        rejected_lines integer NOT NULL CHECK (rejected_lines >= 0),
        rejections jsonb NOT NULL DEFAULT '[]'::jsonb,
        UNIQUE (id, tenant_id)
      )`);
    await q.query(`CREATE INDEX api_particulier_batch_tenant_idx ON api_particulier_batch (tenant_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE api_particulier_call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        recipient char(14) NOT NULL CHECK (recipient ~ '^[0-9]{14}$'),
        environment text NOT NULL CHECK (environment IN ('sandbox', 'staging', 'production', 'custom')),
        api text NOT NULL CHECK (api IN ('quotient_familial', 'statut_etudiant', 'statut_etudiant_boursier', 'complementaire_sante_solidaire')),
        modality text NOT NULL CHECK (modality IN ('pivot_identity', 'ine', 'france_connect')),
        origin text NOT NULL CHECK (origin IN ('citizen', 'batch', 'staff')),
        triggered_by text NOT NULL CHECK (length(triggered_by) <= 120),
        batch_id uuid NULL,
        batch_line integer NULL CHECK (batch_line > 0),
        dossier_reference text NULL CHECK (length(dossier_reference) <= 100),
        priority smallint NOT NULL DEFAULT 1 CHECK (priority IN (0, 1)),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'dispatched', 'running', 'retrying', 'succeeded', 'failed')),
        http_status integer NULL,
        error_code text NULL CHECK (length(error_code) <= 60),
        upstream_code text NULL CHECK (length(upstream_code) <= 10),
        latency_ms integer NULL CHECK (latency_ms >= 0),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        rate_limited integer NOT NULL DEFAULT 0 CHECK (rate_limited >= 0),
        input_ciphertext text NULL,
        fc_token_expires_at timestamptz NULL,
        result_ciphertext text NULL,
        result_expires_at timestamptz NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz NULL,
        started_at timestamptz NULL,
        lease_until timestamptz NULL,
        finished_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (batch_id, tenant_id) REFERENCES api_particulier_batch (id, tenant_id) ON DELETE CASCADE,
        CHECK ((batch_id IS NULL) = (batch_line IS NULL)),
        CHECK (status IN ('succeeded', 'failed') OR finished_at IS NULL),
        CHECK (status NOT IN ('succeeded', 'failed') OR (finished_at IS NOT NULL AND input_ciphertext IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX api_particulier_call_batch_line_uq ON api_particulier_call (batch_id, batch_line) WHERE batch_id IS NOT NULL`);
    await q.query(`CREATE INDEX api_particulier_call_queued_idx ON api_particulier_call (tenant_id, priority, seq) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX api_particulier_call_inflight_idx ON api_particulier_call (status, updated_at) WHERE status IN ('dispatched', 'running', 'retrying')`);
    await q.query(`CREATE INDEX api_particulier_call_tenant_idx ON api_particulier_call (tenant_id, queued_at DESC)`);
    await q.query(`CREATE INDEX api_particulier_call_queued_at_idx ON api_particulier_call (queued_at DESC)`);
    await q.query(`CREATE INDEX api_particulier_call_finished_idx ON api_particulier_call (finished_at) WHERE finished_at IS NOT NULL`);
    await q.query(`CREATE INDEX api_particulier_call_result_idx ON api_particulier_call (result_expires_at) WHERE result_ciphertext IS NOT NULL`);

    await q.query(`
      CREATE TABLE api_particulier_lane (
        tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
        last_dispatched_at timestamptz NOT NULL DEFAULT '-infinity'
      )`);

    await q.query(`
      CREATE TABLE rate_limit_bucket (
        key text PRIMARY KEY CHECK (length(key) <= 200),
        tat timestamptz NOT NULL DEFAULT now(),
        paused_until timestamptz NULL,
        pause_reason text NULL CHECK (length(pause_reason) <= 200),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rate_limit_bucket`);
    await q.query(`DROP TABLE IF EXISTS api_particulier_lane`);
    await q.query(`DROP TABLE IF EXISTS api_particulier_call`);
    await q.query(`DROP TABLE IF EXISTS api_particulier_batch`);
  }
}
