import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public-body clients (tenants). The habilitations, credentials and DataPass webhook tables of
 * the tenants area are added to this migration by its owner.
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
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        address jsonb NULL,
        legal_category_code text NULL,
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
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX tenant_siret_uq ON tenant (siret)`);
    await q.query(`CREATE UNIQUE INDEX tenant_slug_uq ON tenant (slug)`);
    await q.query(`CREATE INDEX tenant_name_idx ON tenant (lower(name) text_pattern_ops)`);
    await q.query(`CREATE INDEX tenant_created_idx ON tenant (created_at, id)`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE audit_log ADD CONSTRAINT audit_log_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_tenant_fk`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_tenant_fk`);
    await q.query(`DROP TABLE tenant`);
  }
}
