import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Portal sign-up confirmed by e-mail: a sign-up answers the same whether or not the address
 * already has an account (no enumeration); the account is created when the link sent to the
 * address is used. A request keeps the e-mail, the argon2id hash of the chosen password and the
 * usage name until it is used or expires (24 hours), never the password.
 */
export class CitizenSignupConfirmation1764700000000 implements MigrationInterface {
  name = 'CitizenSignupConfirmation1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE citizen_signup_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
        usage_name text NULL CHECK (length(usage_name) BETWEEN 1 AND 200),
        token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX citizen_signup_request_token_uq ON citizen_signup_request (token_hash)`);
    await q.query(`CREATE INDEX citizen_signup_request_tenant_email_idx ON citizen_signup_request (tenant_id, email)`);
    await q.query(`CREATE INDEX citizen_signup_request_expires_idx ON citizen_signup_request (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE citizen_signup_request`);
  }
}
