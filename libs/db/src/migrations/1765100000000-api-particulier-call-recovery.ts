import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API Particulier calls (issue 14, items 2–4):
 * - `schema_drift`: how a 200's body departed from the documented shape outside what the product
 *   reads (paths and kinds of mismatch, never values); the call succeeded and its result was kept.
 * - `ambiguous_attempts`: attempts whose outcome upstream is unknown (client timeout after the
 *   request left, or a worker that died mid-call and whose call was taken over): each may have
 *   reached API Particulier, so the upstream may have counted the call more than once.
 */
export class ApiParticulierCallRecovery1765100000000 implements MigrationInterface {
  name = 'ApiParticulierCallRecovery1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_particulier_call ADD COLUMN schema_drift text CHECK (char_length(schema_drift) <= 500)`);
    await q.query(`ALTER TABLE api_particulier_call ADD COLUMN ambiguous_attempts integer NOT NULL DEFAULT 0 CHECK (ambiguous_attempts >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_particulier_call DROP COLUMN ambiguous_attempts`);
    await q.query(`ALTER TABLE api_particulier_call DROP COLUMN schema_drift`);
  }
}
