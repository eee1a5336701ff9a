import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant list search (issue 15): the search typed into the console's lists finds a part of the
 * folded name (`tenant.name_key`, lower case without accents) anywhere in it, served by a trigram
 * GIN index (`pg_trgm`) instead of a sequential scan of every tenant. The extension ships with
 * PostgreSQL's contrib; the embedded database of `npm start` (PGlite) loads its build of it
 * (apps/launcher/src/embedded-postgres.ts). The SIRET prefix keeps its btree index
 * (`tenant_siret_prefix_idx`).
 */
export class TenantListSearch1765300000000 implements MigrationInterface {
  name = 'TenantListSearch1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX tenant_name_key_trgm_idx ON tenant USING gin (name_key gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tenant_name_key_trgm_idx`);
    // The extension stays: another schema object may use it by now, and it costs nothing unused.
  }
}
