import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accented letters and the typographic apostrophe, and what they fold to: used by the generated
 * `tenant.name_key` (search and sort key). Kept 1:1 because `translate` maps character per
 * character; the API folds search terms the same way (NFD + strip marks + lower case).
 */
export const NAME_FOLD_FROM = 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿ’';
export const NAME_FOLD_TO = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYYyy'";

const HABILITATION_STATES = `('draft', 'submitted', 'changes_requested', 'validated', 'refused', 'revoked', 'archived')`;
const PRODUCTS = `('api_particulier', 'franceconnect')`;

/**
 * Public-body clients (tenants), their DataPass habilitations (`tenant_habilitation`, one per
 * tenant and product) with an append-only history, the
 * DataPass webhook deliveries (idempotency and trace), and the credentials vault (FranceConnect
 * clients and API Particulier tokens per environment; secrets encrypted by the application with
 * the secret box, SR-21: only `v1.<keyId>.…` ciphertexts are stored), and the `tenant_credential`
 * view telling other areas which credentials exist (without any secret).
 */
export class Tenants1764100001000 implements MigrationInterface {
  name = 'Tenants1764100001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        siret text NOT NULL CHECK (siret ~ '^[0-9]{14}$'),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 2 AND 63),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        name_source text NOT NULL DEFAULT 'manual' CHECK (name_source IN ('manual', 'directory', 'placeholder')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        address jsonb NULL,
        legal_category_code text NULL CHECK (legal_category_code ~ '^[0-9]{4}$'),
        legal_category_label text NULL,
        directory_warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
        directory_checked_at timestamptz NULL,
        technical_contact jsonb NULL,
        administrative_contact jsonb NULL,
        connexion_enabled boolean NOT NULL DEFAULT true,
        data_retrieval_enabled boolean NOT NULL DEFAULT false,
        branding jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        name_key text GENERATED ALWAYS AS (lower(translate(name, '${NAME_FOLD_FROM}', '${NAME_FOLD_TO.replace(/'/g, "''")}'))) STORED
      )`);
    await q.query(`CREATE UNIQUE INDEX tenant_siret_uq ON tenant (siret)`);
    await q.query(`CREATE UNIQUE INDEX tenant_slug_uq ON tenant (slug)`);
    await q.query(`CREATE INDEX tenant_name_idx ON tenant (lower(name) text_pattern_ops)`);
    await q.query(`CREATE INDEX tenant_created_idx ON tenant (created_at, id)`);
    // List: sort by folded name / SIRET, SIRET prefix search, filters (SR: fast with 10,000 tenants).
    await q.query(`CREATE INDEX tenant_name_key_idx ON tenant (name_key, id)`);
    await q.query(`CREATE INDEX tenant_siret_prefix_idx ON tenant (siret text_pattern_ops)`);
    await q.query(`CREATE INDEX tenant_legal_category_idx ON tenant (legal_category_code text_pattern_ops)`);
    await q.query(`CREATE INDEX tenant_status_name_idx ON tenant (status, name_key, id)`);
    await q.query(`CREATE INDEX tenant_data_retrieval_name_idx ON tenant (data_retrieval_enabled, name_key, id)`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE audit_log ADD CONSTRAINT audit_log_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT`);

    await q.query(`
      CREATE TABLE tenant_habilitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        product text NOT NULL CHECK (product IN ${PRODUCTS}),
        state text NOT NULL CHECK (state IN ${HABILITATION_STATES}),
        datapass_id text NULL CHECK (datapass_id ~ '^[0-9A-Za-z_-]{1,64}$'),
        datapass_public_id text NULL CHECK (length(datapass_public_id) <= 100),
        scopes jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(scopes) = 'array'),
        modalities jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(modalities) = 'array'),
        submitted_at timestamptz NULL,
        changes_requested_at timestamptz NULL,
        validated_at timestamptz NULL,
        refused_at timestamptz NULL,
        revoked_at timestamptz NULL,
        archived_at timestamptz NULL,
        last_webhook_fired_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX tenant_habilitation_tenant_product_uq ON tenant_habilitation (tenant_id, product)`);
    await q.query(`CREATE INDEX tenant_habilitation_product_state_idx ON tenant_habilitation (product, state)`);

    await q.query(`
      CREATE TABLE tenant_habilitation_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        habilitation_id uuid NOT NULL REFERENCES tenant_habilitation (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        product text NOT NULL CHECK (product IN ${PRODUCTS}),
        from_state text NULL CHECK (from_state IN ${HABILITATION_STATES}),
        to_state text NOT NULL CHECK (to_state IN ${HABILITATION_STATES}),
        source text NOT NULL CHECK (source IN ('manual', 'webhook')),
        actor_type text NOT NULL CHECK (actor_type IN ('staff', 'client_admin', 'api_token', 'system', 'webhook')),
        actor_id text NULL,
        datapass_event text NULL,
        datapass_id text NULL,
        webhook_delivery_id uuid NULL,
        note text NULL CHECK (length(note) <= 1000),
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenant_habilitation_history_habilitation_idx ON tenant_habilitation_history (habilitation_id, occurred_at, id)`);
    await q.query(`CREATE INDEX tenant_habilitation_history_tenant_idx ON tenant_habilitation_history (tenant_id)`);
    await q.query(`
      CREATE FUNCTION tenant_habilitation_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'tenant_habilitation_history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER tenant_habilitation_history_no_update BEFORE UPDATE ON tenant_habilitation_history
      FOR EACH ROW EXECUTE FUNCTION tenant_habilitation_history_is_append_only()`);

    await q.query(`
      CREATE TABLE datapass_webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_key text NOT NULL CHECK (delivery_key ~ '^[0-9a-f]{64}$'),
        received_at timestamptz NOT NULL DEFAULT now(),
        app_environment text NULL CHECK (length(app_environment) <= 32),
        event text NULL CHECK (length(event) <= 64),
        model_type text NULL CHECK (length(model_type) <= 200),
        datapass_id text NULL CHECK (length(datapass_id) <= 64),
        siret text NULL CHECK (length(siret) <= 64),
        fired_at timestamptz NULL,
        tenant_id uuid NULL REFERENCES tenant (id) ON DELETE SET NULL,
        product text NULL CHECK (product IN ${PRODUCTS}),
        outcome text NOT NULL CHECK (outcome IN ('applied', 'no_change', 'stale', 'unknown_tenant', 'unsupported_model', 'test_ping', 'rejected_payload')),
        detail text NULL CHECK (length(detail) <= 1000)
      )`);
    await q.query(`CREATE UNIQUE INDEX datapass_webhook_delivery_key_uq ON datapass_webhook_delivery (delivery_key)`);
    await q.query(`CREATE INDEX datapass_webhook_delivery_tenant_idx ON datapass_webhook_delivery (tenant_id, received_at)`);
    await q.query(`CREATE INDEX datapass_webhook_delivery_received_idx ON datapass_webhook_delivery (received_at)`);

    await q.query(`
      CREATE TABLE franceconnect_credential (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        environment text NOT NULL CHECK (environment IN ('sandbox', 'production', 'custom')),
        client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 256),
        client_secret_ciphertext text NOT NULL CHECK (client_secret_ciphertext ~ '^v[0-9]+\\.'),
        signing_algorithm text NOT NULL CHECK (signing_algorithm IN ('ES256', 'RS256')),
        issuer_url text NULL CHECK (length(issuer_url) <= 2048),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT franceconnect_credential_issuer_custom_only CHECK ((environment = 'custom') = (issuer_url IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX franceconnect_credential_tenant_env_uq ON franceconnect_credential (tenant_id, environment)`);

    await q.query(`
      CREATE TABLE api_particulier_credential (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        environment text NOT NULL CHECK (environment IN ('sandbox', 'staging', 'production', 'custom')),
        token_ciphertext text NOT NULL CHECK (token_ciphertext ~ '^v[0-9]+\\.'),
        base_url text NULL CHECK (length(base_url) <= 2048),
        received_on date NOT NULL,
        expires_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT api_particulier_credential_base_url_custom_only CHECK ((environment = 'custom') = (base_url IS NOT NULL)),
        CONSTRAINT api_particulier_credential_expiry_after_receipt CHECK (expires_on > received_on)
      )`);
    await q.query(`CREATE UNIQUE INDEX api_particulier_credential_tenant_env_uq ON api_particulier_credential (tenant_id, environment)`);
    await q.query(`CREATE INDEX api_particulier_credential_expiry_idx ON api_particulier_credential (expires_on)`);

    // Read-only contract for other areas (onboarding guards): which credentials a tenant has,
    // per kind and environment. No secret, no ciphertext.
    await q.query(`
      CREATE VIEW tenant_credential AS
        SELECT tenant_id, 'franceconnect'::text AS kind, environment, updated_at FROM franceconnect_credential
        UNION ALL
        SELECT tenant_id, 'api_particulier'::text AS kind, environment, updated_at FROM api_particulier_credential`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW tenant_credential`);
    await q.query(`DROP TABLE api_particulier_credential`);
    await q.query(`DROP TABLE franceconnect_credential`);
    await q.query(`DROP TABLE datapass_webhook_delivery`);
    await q.query(`DROP TABLE tenant_habilitation_history`);
    await q.query(`DROP FUNCTION tenant_habilitation_history_is_append_only()`);
    await q.query(`DROP TABLE tenant_habilitation`);
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_tenant_fk`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_tenant_fk`);
    await q.query(`DROP TABLE tenant`);
  }
}
