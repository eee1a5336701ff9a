import { Column, PrimaryGeneratedColumn } from 'typeorm';

/** The columns of an e-mailed single-use link's row: the id, when it was made, when it expires, when it was used. */
export abstract class LinkTokenColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
