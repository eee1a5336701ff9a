import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizen portal: citizen accounts per tenant, their FranceConnect identities (SR-09: a citizen
 * is found by tenant, issuer and `sub`), pending reconciliations, and citizen sessions.
 *
 * Every table carries `tenant_id`, and the child tables reference the citizen through
 * `(citizen_id, tenant_id)`, so a row can never point at a citizen of another tenant.
 */
export class Portal1764200001000 implements MigrationInterface {
  name = 'Portal1764200001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE citizen (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        email text NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        password_hash text NULL CHECK (length(password_hash) <= 512),
        usage_name text NULL CHECK (length(usage_name) BETWEEN 1 AND 200),
        identity_source text NULL CHECK (identity_source IN ('franceconnect', 'local')),
        family_name text NULL CHECK (length(family_name) <= 200),
        given_names text NULL CHECK (length(given_names) <= 300),
        birthdate text NULL CHECK (birthdate ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
        birthplace text NULL CHECK (length(birthplace) <= 10),
        birthcountry text NULL CHECK (length(birthcountry) <= 10),
        gender text NULL CHECK (gender IN ('male', 'female', 'unspecified')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz NULL,
        CONSTRAINT citizen_identity_has_source CHECK (identity_source IS NOT NULL OR (family_name IS NULL AND given_names IS NULL AND birthdate IS NULL AND birthplace IS NULL AND birthcountry IS NULL AND gender IS NULL)),
        CONSTRAINT citizen_can_log_in CHECK (email IS NOT NULL OR identity_source = 'franceconnect')
      )`);
    await q.query(`CREATE UNIQUE INDEX citizen_id_tenant_uq ON citizen (id, tenant_id)`);
    await q.query(`CREATE UNIQUE INDEX citizen_tenant_email_uq ON citizen (tenant_id, email) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX citizen_tenant_created_idx ON citizen (tenant_id, created_at)`);

    await q.query(`
      CREATE TABLE citizen_franceconnect_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        citizen_id uuid NOT NULL,
        issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
        sub text NOT NULL CHECK (length(sub) BETWEEN 1 AND 255),
        linked_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT citizen_franceconnect_identity_citizen_fk FOREIGN KEY (citizen_id, tenant_id) REFERENCES citizen (id, tenant_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX citizen_franceconnect_identity_subject_uq ON citizen_franceconnect_identity (tenant_id, issuer, sub)`);
    await q.query(`CREATE UNIQUE INDEX citizen_franceconnect_identity_citizen_issuer_uq ON citizen_franceconnect_identity (citizen_id, issuer)`);

    await q.query(`
      CREATE TABLE citizen_reconciliation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        citizen_id uuid NOT NULL,
        issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
        sub text NOT NULL CHECK (length(sub) BETWEEN 1 AND 255),
        identity jsonb NOT NULL,
        binding_hash text NOT NULL CHECK (binding_hash ~ '^[0-9a-f]{64}$'),
        fc_authenticated_at timestamptz NOT NULL,
        id_token_ciphertext text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT citizen_reconciliation_citizen_fk FOREIGN KEY (citizen_id, tenant_id) REFERENCES citizen (id, tenant_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX citizen_reconciliation_citizen_uq ON citizen_reconciliation (citizen_id)`);
    await q.query(`CREATE INDEX citizen_reconciliation_expires_idx ON citizen_reconciliation (expires_at)`);

    await q.query(`
      CREATE TABLE citizen_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        tenant_id uuid NOT NULL,
        citizen_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('password', 'franceconnect')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        idle_expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        fc_issuer text NULL,
        fc_sub text NULL,
        fc_authenticated_at timestamptz NULL,
        fc_id_token_ciphertext text NULL,
        fc_access_token_ciphertext text NULL,
        fc_access_token_expires_at timestamptz NULL,
        fc_purpose text NULL CHECK (fc_purpose IN ('login', 'signup', 'data_retrieval')),
        fc_scopes jsonb NOT NULL DEFAULT '[]'::jsonb,
        data_retrieval_confirmed_at timestamptz NULL,
        user_agent text NULL CHECK (length(user_agent) <= 300),
        CONSTRAINT citizen_session_citizen_fk FOREIGN KEY (citizen_id, tenant_id) REFERENCES citizen (id, tenant_id) ON DELETE CASCADE,
        CONSTRAINT citizen_session_fc_complete CHECK ((fc_issuer IS NULL) = (fc_sub IS NULL) AND (fc_issuer IS NULL) = (fc_authenticated_at IS NULL)),
        CONSTRAINT citizen_session_fc_source CHECK (source <> 'franceconnect' OR fc_issuer IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX citizen_session_token_uq ON citizen_session (token_hash)`);
    await q.query(`CREATE INDEX citizen_session_citizen_idx ON citizen_session (citizen_id)`);
    await q.query(`CREATE INDEX citizen_session_expiry_idx ON citizen_session (absolute_expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS citizen_session`);
    await q.query(`DROP TABLE IF EXISTS citizen_reconciliation`);
    await q.query(`DROP TABLE IF EXISTS citizen_franceconnect_identity`);
    await q.query(`DROP TABLE IF EXISTS citizen`);
  }
}
