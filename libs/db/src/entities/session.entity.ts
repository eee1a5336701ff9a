import { Entity } from 'typeorm';
import { BooleanColumn, TimestampColumn, UuidColumn } from './columns.js';
import { SessionColumns } from './session-columns.js';

/** A console session. The cookie holds a random token; only its SHA-256 is stored. */
@Entity({ name: 'user_session' })
export class UserSessionEntity extends SessionColumns {
  @UuidColumn()
  userId!: string;

  /** False between the password step and the TOTP step: such a session reaches no resource. */
  @BooleanColumn({ default: false })
  secondFactorPassed!: boolean;

  @TimestampColumn.nullable()
  revokedAt!: Date | null;
}
