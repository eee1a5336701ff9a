import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of the unauthenticated endpoints (console login and password reset, portal login,
 * sign-up and FranceConnect routes) when the platform runs without Redis (embedded mode): shared
 * by every API process through the database (issue 14, item 6; in production they live in
 * Redis). The layout is the one `rate-limiter-flexible`'s PostgreSQL store expects (`key`,
 * `points`, `expire` in epoch milliseconds, in that order); the API never creates it itself.
 * `key` is the store's prefix and a SHA-256 of the counted key: no e-mail address or IP in clear.
 * Expired rows are deleted by the API every 5 minutes (index on `expire`).
 */
export class SharedRateLimits1764900000000 implements MigrationInterface {
  name = 'SharedRateLimits1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE auth_rate_limit (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
    await q.query(`CREATE INDEX auth_rate_limit_expire_idx ON auth_rate_limit (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_rate_limit`);
  }
}
