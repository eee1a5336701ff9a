import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Citizen portal: citizen accounts per tenant, their FranceConnect identities, sessions. */
export class Portal1764200001000 implements MigrationInterface {
  name = 'Portal1764200001000';

  async up(_q: QueryRunner): Promise<void> {
    // Tables are added by the area's owner.
  }

  async down(_q: QueryRunner): Promise<void> {
    // Mirror of up().
  }
}
