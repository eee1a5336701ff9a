import { Column } from 'typeorm';

/** The trailing columns of a row edited with optimistic locking: created, last updated, version (1 at creation). */
export abstract class VersionedRow {
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}
