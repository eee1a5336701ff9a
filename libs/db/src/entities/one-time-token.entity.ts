import { Column, Entity } from 'typeorm';
import { LinkTokenColumns } from './link-token-columns.js';

export const ONE_TIME_TOKEN_PURPOSES = ['invitation', 'password_reset'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/** An invitation or password-reset link token: single use, expiring, stored hashed. */
@Entity({ name: 'user_one_time_token' })
export class UserOneTimeTokenEntity extends LinkTokenColumns {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  purpose!: OneTimeTokenPurpose;

  @Column({ name: 'token_hash', type: 'text', select: false })
  tokenHash!: string;
}
