import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login-time data retrieval, chosen per tenant: the FranceConnect login (and sign-up) asks for the
 * data scopes too, and the API Particulier calls start right after the token exchange. Only
 * meaningful with `data_retrieval_enabled`, which the constraint enforces.
 */
export class DataRetrievalAtLogin1764400000000 implements MigrationInterface {
  name = 'DataRetrievalAtLogin1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant ADD COLUMN data_retrieval_at_login boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE tenant ADD CONSTRAINT tenant_data_retrieval_at_login_ck CHECK (NOT data_retrieval_at_login OR data_retrieval_enabled)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant DROP CONSTRAINT tenant_data_retrieval_at_login_ck`);
    await q.query(`ALTER TABLE tenant DROP COLUMN data_retrieval_at_login`);
  }
}
