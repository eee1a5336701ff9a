import type { UserView } from '@fcplat/contract';
import type { UserEntity } from '@fcplat/db';

export type { InvitationResult, UserView } from '@fcplat/contract';

/** What the API shows of an account (the contract's `userViewSchema`): never its password hash, TOTP secret or tokens. */
export function userView(user: UserEntity): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    kind: user.kind,
    role: user.staffRole,
    tenantId: user.tenantId,
    status: user.status,
    totpEnabled: user.totpEnabledAt !== null,
    locked: user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
