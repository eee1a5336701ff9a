import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole, UserKind, UserStatus } from '@fcplat/domain';

export { STAFF_ROLES, USER_KINDS, USER_STATUSES, type StaffRole, type UserKind, type UserStatus } from '@fcplat/domain';

/** A console account: editor staff, or a client administrator bound to one tenant. */
@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always lower-case. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  kind!: UserKind;

  @Column({ name: 'staff_role', type: 'text', nullable: true })
  staffRole!: StaffRole | null;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  status!: UserStatus;

  /** argon2id PHC string; null until the invitation is accepted. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  /** Encrypted with the secret box (context: user id, field `totp_secret`). */
  @Column({ name: 'totp_secret_ciphertext', type: 'text', nullable: true, select: false })
  totpSecretCiphertext!: string | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  /** The TOTP time step (unix time / 30 s) of the last accepted code: a code is never accepted twice. */
  @Column({ name: 'totp_last_time_step', type: 'integer', nullable: true })
  totpLastTimeStep!: number | null;

  @Column({ name: 'failed_login_count', type: 'integer', default: 0 })
  failedLoginCount!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  /**
   * Wrong passwords over the attack window, when it started, and the last attack alert (SQL of
   * accounts/login.service.ts). Not selected by default: only that SQL reads them.
   */
  @Column({ name: 'password_failure_count', type: 'integer', default: 0, select: false })
  passwordFailureCount!: number;

  @Column({ name: 'password_failures_since', type: 'timestamptz', nullable: true, select: false })
  passwordFailuresSince!: Date | null;

  @Column({ name: 'attack_alerted_at', type: 'timestamptz', nullable: true, select: false })
  attackAlertedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
