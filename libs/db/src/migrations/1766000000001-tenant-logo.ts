import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant's portal logo uploaded to the platform (issue 16), one per tenant: PNG, or SVG as
 * sanitised by the API (apps/api/src/tenants/logo.ts), at most 200 KiB, its SHA-256 naming the
 * version served (`/api/portal/{slug}/logo/{sha256 prefix}`, cached for good). The checks repeat
 * the API's so that nothing else can slip another type or size in.
 */
export class TenantLogo1766000000001 implements MigrationInterface {
  name = 'TenantLogo1766000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_logo (
        tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
        content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/svg+xml')),
        content bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 204800),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid NULL REFERENCES app_user (id) ON DELETE SET NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_logo`);
  }
}
