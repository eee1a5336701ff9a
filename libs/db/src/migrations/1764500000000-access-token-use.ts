import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a session's FranceConnect access token served its one data retrieval (taken by a
 * confirmation, or used at login). The token itself is removed at that moment; this keeps the
 * fact, so a second confirmation is told the authorisation was used rather than that it expired,
 * whichever of the two concurrent requests read the session first.
 */
export class AccessTokenUse1764500000000 implements MigrationInterface {
  name = 'AccessTokenUse1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE citizen_session ADD COLUMN fc_access_token_used_at timestamptz NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE citizen_session DROP COLUMN fc_access_token_used_at`);
  }
}
