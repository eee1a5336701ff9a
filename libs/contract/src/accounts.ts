/** Console accounts: the login with a second factor, invitations, password resets, staff and client administrators, personal API tokens. */
import { z } from 'zod';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, PASSWORD_MAX_LENGTH, STAFF_ROLES, USER_KINDS, USER_STATUSES } from '@fcplat/domain';
import { pageQuerySchema } from './pagination.js';
import { isoDateTime } from './text.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** What the API shows of an account: never its password hash, TOTP secret or tokens. */
export const userViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  email: z.string(),
  displayName: z.string(),
  kind: z.enum(USER_KINDS),
  role: z.enum(STAFF_ROLES).nullable(),
  tenantId: z.string().meta({ format: 'uuid' }).nullable(),
  status: z.enum(USER_STATUSES),
  totpEnabled: z.boolean(),
  locked: z.boolean().meta({ description: 'Temporarily locked after 10 consecutive failed logins' }),
  lastLoginAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type UserView = z.output<typeof userViewSchema>;

/** `GET /api/auth/me`: the caller, and how they authenticated. */
export const meSchema = userViewSchema.extend({ via: z.enum(['session', 'api_token']) });
export type MeView = z.output<typeof meSchema>;

export const invitationResultSchema = z.object({
  user: userViewSchema,
  invitation: z.object({
    sent: z.boolean().meta({ description: 'False when the SMTP server could not be reached: resend the invitation later' }),
    expiresAt: isoDateTime,
  }),
});
export type InvitationResult = z.output<typeof invitationResultSchema>;

/** After the password: the second-factor step to call next. */
export const nextStepSchema = z.object({ next: z.enum(['totp', 'totp_setup']).meta({ description: 'The second-factor step to call next' }) });
export type NextStep = z.output<typeof nextStepSchema>['next'];

/** After the second factor: logged in. */
export const loggedInSchema = z.object({ status: z.enum(['authenticated']) });

export const totpSetupSchema = z.object({
  otpauthUri: z.string().meta({ example: 'otpauth://totp/fcplat:jeanne%40example.fr?secret=…&issuer=fcplat' }),
  qrCodeDataUrl: z.string().meta({ description: 'PNG image as a data: URL' }),
  secret: z.string().meta({ description: 'Base32 secret, for manual entry in the authenticator app' }),
});

export const invitationAcceptedSchema = z.object({ email: z.string(), next: z.enum(['login']) });

export const passwordResetRequestedSchema = z.object({ status: z.enum(['accepted']) });

/** A personal API token as listed (never the token itself). */
export const apiTokenViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  name: z.string(),
  prefix: z.string().meta({ description: 'First characters of the token, to recognise it' }),
  createdAt: isoDateTime,
  expiresAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
});
export type ApiTokenView = z.output<typeof apiTokenViewSchema>;

/** A new API token, shown in this answer only. */
export const issuedApiTokenSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  name: z.string(),
  prefix: z.string(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime.nullable(),
  token: z.string().meta({ description: 'Use as `Authorization: Bearer <token>`. Never shown again.' }),
});
