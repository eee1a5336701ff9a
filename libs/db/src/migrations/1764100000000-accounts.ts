import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console accounts: editor staff (admin, onboarding agent, read-only) and client administrators
 * bound to one tenant; their sessions, one-time tokens (invitation, password reset) and personal
 * API tokens. Every token is stored as a SHA-256 hash only; TOTP secrets are encrypted (SR-21).
 */
export class Accounts1764100000000 implements MigrationInterface {
  name = 'Accounts1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$' AND length(email) <= 254),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('staff', 'client_admin')),
        staff_role text NULL CHECK (staff_role IN ('admin', 'onboarding_agent', 'read_only')),
        tenant_id uuid NULL,
        status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
        password_hash text NULL,
        totp_secret_ciphertext text NULL,
        totp_enabled_at timestamptz NULL,
        totp_last_time_step integer NULL,
        failed_login_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz NULL,
        last_login_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_kind_shape CHECK (
          (kind = 'staff' AND staff_role IS NOT NULL AND tenant_id IS NULL)
          OR (kind = 'client_admin' AND staff_role IS NULL AND tenant_id IS NOT NULL)
        )
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_uq ON app_user (email)`);
    await q.query(`CREATE INDEX app_user_tenant_idx ON app_user (tenant_id) WHERE tenant_id IS NOT NULL`);
    await q.query(`CREATE INDEX app_user_created_idx ON app_user (created_at, id)`);

    await q.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        second_factor_passed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        idle_expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        user_agent text NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX user_session_token_uq ON user_session (token_hash)`);
    await q.query(`CREATE INDEX user_session_user_idx ON user_session (user_id)`);

    await q.query(`
      CREATE TABLE user_one_time_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX user_one_time_token_hash_uq ON user_one_time_token (token_hash)`);
    await q.query(`CREATE INDEX user_one_time_token_user_idx ON user_one_time_token (user_id, purpose) WHERE used_at IS NULL`);

    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_hash text NOT NULL,
        token_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NULL,
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX api_token_hash_uq ON api_token (token_hash)`);
    await q.query(`CREATE INDEX api_token_user_idx ON api_token (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_token`);
    await q.query(`DROP TABLE user_one_time_token`);
    await q.query(`DROP TABLE user_session`);
    await q.query(`DROP TABLE app_user`);
  }
}
