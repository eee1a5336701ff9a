import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IntegerColumn, TextColumn, TimestampColumn, UuidColumn } from './columns.js';
import type { StaffRole, UserKind, UserStatus } from '@fcplat/domain';

export { STAFF_ROLES, USER_KINDS, USER_STATUSES, type StaffRole, type UserKind, type UserStatus } from '@fcplat/domain';

/** A console account: editor staff, or a client administrator bound to one tenant. */
@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always lower-case. */
  @TextColumn()
  email!: string;

  @TextColumn()
  displayName!: string;

  @TextColumn()
  kind!: UserKind;

  @TextColumn.nullable()
  staffRole!: StaffRole | null;

  @UuidColumn.nullable()
  tenantId!: string | null;

  @TextColumn()
  status!: UserStatus;

  /** argon2id PHC string; null until the invitation is accepted. */
  @TextColumn.nullable({ select: false })
  passwordHash!: string | null;

  /** Encrypted with the secret box (context: user id, field `totp_secret`). */
  @TextColumn.nullable({ select: false })
  totpSecretCiphertext!: string | null;

  @TimestampColumn.nullable()
  totpEnabledAt!: Date | null;

  /** The TOTP time step (unix time / 30 s) of the last accepted code: a code is never accepted twice. */
  @IntegerColumn.nullable()
  totpLastTimeStep!: number | null;

  @IntegerColumn({ default: 0 })
  failedLoginCount!: number;

  @TimestampColumn.nullable()
  lockedUntil!: Date | null;

  @TimestampColumn.nullable()
  lastLoginAt!: Date | null;

  /**
   * Wrong passwords over the attack window, when it started, and the last attack alert (SQL of
   * accounts/login.service.ts). Not selected by default: only that SQL reads them.
   */
  @IntegerColumn({ default: 0, select: false })
  passwordFailureCount!: number;

  @TimestampColumn.nullable({ select: false })
  passwordFailuresSince!: Date | null;

  @TimestampColumn.nullable({ select: false })
  attackAlertedAt!: Date | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;
}
