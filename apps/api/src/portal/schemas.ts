import { z } from 'zod';
import { CITIZEN_FRANCECONNECT_PURPOSES, CITIZEN_GENDERS } from '@fcplat/db';
import { emailSchema } from '../accounts/schemas.js';
import { PASSWORD_MAX_LENGTH } from '../accounts/passwords.js';

/** Length and content are checked by the password policy (French messages); this only bounds the input. */
const passwordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH * 4);
const usageNameSchema = z.string().trim().min(1).max(200);

export const citizenSignupSchema = z.strictObject({ email: emailSchema, password: passwordSchema, usageName: usageNameSchema.optional() });
export type CitizenSignupInput = z.output<typeof citizenSignupSchema>;

/** The token of an e-mailed activation link (`newToken()`: base64url). */
export const signupConfirmationSchema = z.strictObject({ token: z.string().min(20).max(200).regex(/^[A-Za-z0-9_-]+$/, { error: 'jeton invalide' }) });
export type SignupConfirmationInput = z.output<typeof signupConfirmationSchema>;

export const citizenLoginSchema = z.strictObject({ email: emailSchema, password: passwordSchema });
export type CitizenLoginInput = z.output<typeof citizenLoginSchema>;

/** Pivot identity fields: accepted only for an identity typed by the citizen, never for one from FranceConnect (FC-15). */
export const PIVOT_FIELDS = ['familyName', 'givenNames', 'birthdate', 'birthplace', 'birthcountry', 'gender'] as const;

const dateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'date au format AAAA-MM-JJ attendue' })
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: 'date inexistante',
  });
const cogCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9][0-9AB][0-9]{3}$/, { error: 'code INSEE à 5 caractères attendu (ex. 75107, 2A004, 99100)' });

export const patchCitizenSchema = z.strictObject({
  usageName: usageNameSchema.nullable().optional(),
  email: emailSchema.optional(),
  familyName: z.string().trim().min(1).max(200).optional(),
  givenNames: z.string().trim().min(1).max(300).optional(),
  birthdate: dateSchema.optional(),
  birthplace: cogCodeSchema.nullable().optional(),
  birthcountry: cogCodeSchema.optional(),
  gender: z.enum(CITIZEN_GENDERS).optional(),
});
export type PatchCitizenInput = z.output<typeof patchCitizenSchema>;

export const franceConnectLoginQuerySchema = z.strictObject({ purpose: z.enum(CITIZEN_FRANCECONNECT_PURPOSES).default('login') });
export type FranceConnectLoginQuery = z.output<typeof franceConnectLoginQuerySchema>;

/** The tenant's segment of portal URLs. */
export const PORTAL_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const isPortalSlug = (slug: string): boolean => slug.length <= 63 && PORTAL_SLUG.test(slug);

/** `GET /data-retrieval/results?wait=true`: wait for the calls under way (up to the citizen deadline). */
export const dataRetrievalResultsQuerySchema = z.strictObject({
  wait: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'Wait for calls still under way, up to API_PARTICULIER_CITIZEN_DEADLINE_MS after they were queued' }),
});
