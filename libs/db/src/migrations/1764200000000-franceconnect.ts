import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * FranceConnect relying party: pending requests (`state` of a login with its `nonce`, `state` of
 * a logout) shared by every API replica (SR-02). Only SHA-256 digests of the state and of the
 * browser binding are stored; a row is consumed once (`consumed_at`), expires (`expires_at`,
 * 10 min by default) and is purged an hour after expiry.
 */
export class Franceconnect1764200000000 implements MigrationInterface {
  name = 'Franceconnect1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE franceconnect_state (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state_hash text NOT NULL CHECK (state_hash ~ '^[0-9a-f]{64}$'),
        kind text NOT NULL CHECK (kind IN ('login', 'logout')),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        binding_hash text NOT NULL CHECK (binding_hash ~ '^[0-9a-f]{64}$'),
        issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2048),
        client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 256),
        redirect_uri text NOT NULL CHECK (length(redirect_uri) BETWEEN 1 AND 2048),
        purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{0,39}$'),
        nonce text NULL CHECK (nonce ~ '^[0-9A-Za-z]{32,128}$'),
        scope text NULL CHECK (length(scope) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz NULL,
        CONSTRAINT franceconnect_state_nonce_of_login CHECK ((kind = 'login') = (nonce IS NOT NULL)),
        CONSTRAINT franceconnect_state_expiry_after_creation CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX franceconnect_state_hash_uq ON franceconnect_state (state_hash)`);
    await q.query(`CREATE INDEX franceconnect_state_expires_idx ON franceconnect_state (expires_at)`);
    await q.query(
      `CREATE INDEX franceconnect_state_pending_binding_idx ON franceconnect_state (tenant_id, binding_hash, created_at) WHERE consumed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS franceconnect_state`);
  }
}
