import type { MigrationInterface, QueryRunner } from 'typeorm';

/** FranceConnect relying party: pending authorizations (state, nonce) shared by every API replica, and logout states. */
export class Franceconnect1764200000000 implements MigrationInterface {
  name = 'Franceconnect1764200000000';

  async up(_q: QueryRunner): Promise<void> {
    // Tables are added by the area's owner.
  }

  async down(_q: QueryRunner): Promise<void> {
    // Mirror of up().
  }
}
