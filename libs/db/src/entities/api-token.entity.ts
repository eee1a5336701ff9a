import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from './columns.js';

/** A personal API token of a staff member (`Authorization: Bearer`); shown once, stored hashed. */
@Entity({ name: 'api_token' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  userId!: string;

  @TextColumn()
  name!: string;

  @TextColumn({ select: false })
  tokenHash!: string;

  /** The first characters, to recognise a token in a list (`fcp_ab12…`). */
  @TextColumn()
  tokenPrefix!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.nullable()
  expiresAt!: Date | null;

  @TimestampColumn.nullable()
  lastUsedAt!: Date | null;

  @TimestampColumn.nullable()
  revokedAt!: Date | null;
}
