import { Column, Entity } from 'typeorm';
import { SessionColumns } from './session-columns.js';

/** A console session. The cookie holds a random token; only its SHA-256 is stored. */
@Entity({ name: 'user_session' })
export class UserSessionEntity extends SessionColumns {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** False between the password step and the TOTP step: such a session reaches no resource. */
  @Column({ name: 'second_factor_passed', type: 'boolean', default: false })
  secondFactorPassed!: boolean;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
