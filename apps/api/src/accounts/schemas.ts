import { z } from 'zod';
import { STAFF_ROLES, USER_KINDS, USER_STATUSES } from '@fcplat/db';
import { pageQuerySchema } from '../http/pagination.js';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from './account-records.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

/** Trimmed, lower-cased e-mail address (stored lower-case). */
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'adresse e-mail invalide' }));
const displayNameSchema = z.string().trim().min(1).max(200);
/** Length and content are checked by the policy, with French messages; this only bounds the input. */
const passwordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH * 4);
const linkTokenSchema = z.string().min(1).max(200);
const totpCodeSchema = z.string().trim().regex(/^\d{6}$/, { error: 'six chiffres attendus' });

export const loginSchema = z.strictObject({ email: emailSchema, password: passwordSchema });
export const totpCodeBodySchema = z.strictObject({ code: totpCodeSchema });
export const acceptInvitationSchema = z.strictObject({ token: linkTokenSchema, password: passwordSchema, displayName: displayNameSchema.optional() });
export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });
export const passwordResetCompleteSchema = z.strictObject({ token: linkTokenSchema, password: passwordSchema });

export const inviteStaffSchema = z.strictObject({ email: emailSchema, displayName: displayNameSchema, role: z.enum(STAFF_ROLES) });
export const inviteClientAdminSchema = z.strictObject({ email: emailSchema, displayName: displayNameSchema });
export const changeRoleSchema = z.strictObject({ role: z.enum(STAFF_ROLES) });

const USER_SORTS = ['email', 'displayName', 'createdAt', 'lastLoginAt'] as const;

export const listUsersQuerySchema = z.strictObject({
  ...pageQuerySchema(USER_SORTS, 'email').shape,
  kind: z.enum(USER_KINDS).optional(),
  role: z.enum(STAFF_ROLES).optional(),
  tenantId: z.uuid().optional(),
  status: z.enum(USER_STATUSES).optional(),
  search: z.string().trim().min(1).max(100).optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const tenantAdminsQuerySchema = z.strictObject({
  ...pageQuerySchema(USER_SORTS, 'email').shape,
  status: z.enum(USER_STATUSES).optional(),
  search: z.string().trim().min(1).max(100).optional(),
});
export type TenantAdminsQuery = z.output<typeof tenantAdminsQuerySchema>;

export const createApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS).default(API_TOKEN_DEFAULT_DAYS),
});

/** A path id that is not a UUID names nothing: 404, like an unknown one. */
export const idSchema = z.uuid();
