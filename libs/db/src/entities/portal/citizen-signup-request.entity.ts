import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

/**
 * A portal sign-up waiting for its e-mailed link (issue 12, item 8): the account is created when
 * the link is used, so a sign-up answers the same whether or not the address already has an
 * account. Keeps the e-mail, the argon2id hash of the chosen password (left out of default
 * selects) and the usage name until it is used or expires (24 hours); only the link token's
 * SHA-256 is stored.
 */
@Entity({ name: 'citizen_signup_request' })
export class CitizenSignupRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @TextColumn()
  email!: string;

  @TextColumn({ select: false })
  passwordHash!: string;

  @TextColumn.nullable()
  usageName!: string | null;

  @TextColumn()
  tokenHash!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;

  @TimestampColumn.nullable()
  usedAt!: Date | null;
}
