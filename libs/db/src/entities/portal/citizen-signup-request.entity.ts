import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ name: 'usage_name', type: 'text', nullable: true })
  usageName!: string | null;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
