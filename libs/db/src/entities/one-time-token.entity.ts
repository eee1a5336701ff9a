import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from './columns.js';

export const ONE_TIME_TOKEN_PURPOSES = ['invitation', 'password_reset'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/** An invitation or password-reset link token: single use, expiring, stored hashed. */
@Entity({ name: 'user_one_time_token' })
export class UserOneTimeTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  userId!: string;

  @TextColumn()
  purpose!: OneTimeTokenPurpose;

  @TextColumn({ select: false })
  tokenHash!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;

  @TimestampColumn.nullable()
  usedAt!: Date | null;
}
