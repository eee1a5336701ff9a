import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Onboarding cases, their stage history and comments, and the qualification checklist. */
export class Onboarding1764100002000 implements MigrationInterface {
  name = 'Onboarding1764100002000';

  async up(_q: QueryRunner): Promise<void> {
    // Tables are added by the onboarding area's owner.
  }

  async down(_q: QueryRunner): Promise<void> {
    // Mirror of up().
  }
}
