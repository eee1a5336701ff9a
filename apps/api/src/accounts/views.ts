import type { StaffRole, UserEntity, UserKind, UserStatus } from '@fcplat/db';

/** What the API shows of an account: never its password hash, TOTP secret or tokens. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly kind: UserKind;
  readonly role: StaffRole | null;
  readonly tenantId: string | null;
  readonly status: UserStatus;
  readonly totpEnabled: boolean;
  readonly locked: boolean;
  readonly lastLoginAt: string | null;
  readonly createdAt: string;
}

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

export const USER_VIEW_SCHEMA = {
  type: 'object',
  required: ['id', 'email', 'displayName', 'kind', 'role', 'tenantId', 'status', 'totpEnabled', 'locked', 'lastLoginAt', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    kind: { type: 'string', enum: ['staff', 'client_admin'] },
    role: { type: 'string', enum: ['admin', 'onboarding_agent', 'read_only'], nullable: true },
    tenantId: { type: 'string', format: 'uuid', nullable: true },
    status: { type: 'string', enum: ['invited', 'active', 'disabled'] },
    totpEnabled: { type: 'boolean' },
    locked: { type: 'boolean', description: 'Temporarily locked after 10 consecutive failed logins' },
    lastLoginAt: { type: 'string', format: 'date-time', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export interface InvitationResult {
  readonly user: UserView;
  readonly invitation: { readonly sent: boolean; readonly expiresAt: string };
}

export const INVITATION_RESULT_SCHEMA = {
  type: 'object',
  required: ['user', 'invitation'],
  properties: {
    user: USER_VIEW_SCHEMA,
    invitation: {
      type: 'object',
      required: ['sent', 'expiresAt'],
      properties: {
        sent: { type: 'boolean', description: 'False when the SMTP server could not be reached: resend the invitation later' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};
