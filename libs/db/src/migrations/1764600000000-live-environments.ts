import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live environment of each tenant, chosen on purpose (libs/domain/src/environments.ts):
 *
 * - `tenant_live_environment`: per tenant and product (FranceConnect, API Particulier), the
 *   environment its portal and calls use, who chose it, when, and why. Nothing else decides it:
 *   storing credentials does not.
 * - FranceConnect's `integration` environment (keys issued through Démarches Simplifiées).
 * - On test platforms a stored credential may point any environment at a stand-in (issuer or base
 *   URL); `custom` still requires one.
 * - `api_particulier_batch.environment`: the environment of a batch's calls (the live one when it was sent).
 * - `citizen_session.fc_environment`: the environment of the FranceConnect login (API Particulier's
 *   FranceConnect modality calls the matching API Particulier environment).
 * - `franceconnect_login_activity`: the last successful FranceConnect login per tenant and
 *   environment (shown to staff); API Particulier's equivalent is read from the call ledger, which
 *   gets an index for it.
 *
 * Existing tenants keep what they were using, recorded as a choice of the platform's (no person):
 * the first environment with credentials in the order the platform used to pick (production
 * first), except that production is only kept where the onboarding stage allows it.
 */
export class LiveEnvironments1764600000000 implements MigrationInterface {
  name = 'LiveEnvironments1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE franceconnect_credential DROP CONSTRAINT franceconnect_credential_environment_check`);
    await q.query(
      `ALTER TABLE franceconnect_credential ADD CONSTRAINT franceconnect_credential_environment_check CHECK (environment IN ('sandbox', 'integration', 'production', 'custom'))`,
    );
    await q.query(`ALTER TABLE franceconnect_credential DROP CONSTRAINT franceconnect_credential_issuer_custom_only`);
    await q.query(`ALTER TABLE franceconnect_credential ADD CONSTRAINT franceconnect_credential_issuer_custom CHECK (environment <> 'custom' OR issuer_url IS NOT NULL)`);
    await q.query(`ALTER TABLE api_particulier_credential DROP CONSTRAINT api_particulier_credential_base_url_custom_only`);
    await q.query(`ALTER TABLE api_particulier_credential ADD CONSTRAINT api_particulier_credential_base_url_custom CHECK (environment <> 'custom' OR base_url IS NOT NULL)`);

    await q.query(`
      CREATE TABLE tenant_live_environment (
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        product text NOT NULL CHECK (product IN ('franceconnect', 'api_particulier')),
        environment text NOT NULL,
        chosen_at timestamptz NOT NULL DEFAULT now(),
        chosen_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        reason text NULL CHECK (length(reason) <= 500),
        version integer NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant_id, product),
        CONSTRAINT tenant_live_environment_environment_check CHECK (
          (product = 'franceconnect' AND environment IN ('sandbox', 'integration', 'production', 'custom'))
          OR (product = 'api_particulier' AND environment IN ('sandbox', 'staging', 'production', 'custom'))
        )
      )`);
    await q.query(`CREATE INDEX tenant_live_environment_product_idx ON tenant_live_environment (product, environment)`);

    await q.query(`
      CREATE TABLE franceconnect_login_activity (
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        environment text NOT NULL CHECK (environment IN ('sandbox', 'integration', 'production', 'custom')),
        last_login_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, environment)
      )`);
    await q.query(
      `ALTER TABLE api_particulier_batch ADD COLUMN environment text NULL CHECK (environment IN ('sandbox', 'staging', 'production', 'custom'))`,
    );
    await q.query(`UPDATE api_particulier_batch b SET environment = (SELECT c.environment FROM api_particulier_call c WHERE c.batch_id = b.id LIMIT 1)`);
    await q.query(
      `ALTER TABLE citizen_session ADD COLUMN fc_environment text NULL CHECK (fc_environment IN ('sandbox', 'integration', 'production', 'custom'))`,
    );
    await q.query(
      `CREATE INDEX api_particulier_call_success_env_idx ON api_particulier_call (tenant_id, environment, finished_at DESC) WHERE status = 'succeeded'`,
    );

    const reason = 'Reprise : environnement utilisé avant le choix explicite';
    await q.query(
      `INSERT INTO tenant_live_environment (tenant_id, product, environment, reason)
       SELECT DISTINCT ON (c.tenant_id) c.tenant_id, 'franceconnect', c.environment, $1
         FROM franceconnect_credential c
         LEFT JOIN onboarding_case o ON o.tenant_id = c.tenant_id
        WHERE c.environment <> 'production' OR o.stage IN ('production_credentials_received', 'live')
        ORDER BY c.tenant_id, array_position(ARRAY['production', 'sandbox', 'integration', 'custom'], c.environment)`,
      [reason],
    );
    await q.query(
      `INSERT INTO tenant_live_environment (tenant_id, product, environment, reason)
       SELECT DISTINCT ON (c.tenant_id) c.tenant_id, 'api_particulier', c.environment, $1
         FROM api_particulier_credential c
         LEFT JOIN onboarding_case o ON o.tenant_id = c.tenant_id
        WHERE c.environment <> 'production' OR o.stage IN ('production_credentials_received', 'live')
        ORDER BY c.tenant_id, array_position(ARRAY['production', 'staging', 'sandbox', 'custom'], c.environment)`,
      [reason],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_particulier_call_success_env_idx`);
    await q.query(`ALTER TABLE citizen_session DROP COLUMN fc_environment`);
    await q.query(`ALTER TABLE api_particulier_batch DROP COLUMN environment`);
    await q.query(`DROP TABLE franceconnect_login_activity`);
    await q.query(`DROP TABLE tenant_live_environment`);
    await q.query(`ALTER TABLE api_particulier_credential DROP CONSTRAINT api_particulier_credential_base_url_custom`);
    await q.query(`DELETE FROM api_particulier_credential WHERE environment <> 'custom' AND base_url IS NOT NULL`);
    await q.query(`ALTER TABLE api_particulier_credential ADD CONSTRAINT api_particulier_credential_base_url_custom_only CHECK ((environment = 'custom') = (base_url IS NOT NULL))`);
    await q.query(`ALTER TABLE franceconnect_credential DROP CONSTRAINT franceconnect_credential_issuer_custom`);
    await q.query(`DELETE FROM franceconnect_credential WHERE environment = 'integration' OR (environment <> 'custom' AND issuer_url IS NOT NULL)`);
    await q.query(`ALTER TABLE franceconnect_credential ADD CONSTRAINT franceconnect_credential_issuer_custom_only CHECK ((environment = 'custom') = (issuer_url IS NOT NULL))`);
    await q.query(`ALTER TABLE franceconnect_credential DROP CONSTRAINT franceconnect_credential_environment_check`);
    await q.query(`ALTER TABLE franceconnect_credential ADD CONSTRAINT franceconnect_credential_environment_check CHECK (environment IN ('sandbox', 'production', 'custom'))`);
  }
}
