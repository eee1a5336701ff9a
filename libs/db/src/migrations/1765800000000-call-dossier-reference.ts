import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call log is filtered by dossier reference (issue 16: « which calls did dossier X make? »),
 * within one tenant: an index on (tenant, reference) keeps that a look-up, whatever the log's size.
 */
export class CallDossierReference1765800000000 implements MigrationInterface {
  name = 'CallDossierReference1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX api_particulier_call_reference_idx ON api_particulier_call (tenant_id, dossier_reference, queued_at DESC) WHERE dossier_reference IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_particulier_call_reference_idx`);
  }
}
