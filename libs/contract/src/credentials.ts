/** The credentials vault of a tenant: FranceConnect clients and API Particulier tokens per environment (write-only secrets). */
import { z } from 'zod';
import {
  API_PARTICULIER_ENVIRONMENTS,
  FRANCECONNECT_ENVIRONMENTS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  franceConnectCredentialProblem,
  readApiParticulierToken,
} from '@fcplat/domain';
import { calendarDate, isoDateTime } from './text.js';

/** No control characters in secrets: they would not survive copy and paste, and hint at a paste error. */
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

const secretString = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(NO_CONTROL, { message: 'caractères de contrôle interdits' })
    .refine((value) => value.trim() === value, { message: 'espaces en début ou fin interdits (erreur de copier-coller ?)' });

/** FranceConnect's client ids and secrets: 64 lowercase hexadecimal characters (the sandbox's follow the same format). */
const franceConnectCredential = (what: string) =>
  z.string().superRefine((value, context) => {
    const problem = franceConnectCredentialProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `${what} FranceConnect invalide : ${problem}` });
  });

/** API Particulier tokens are JWTs: checked by structure only (never sent anywhere to be checked). */
const apiParticulierToken = secretString(8192).superRefine((value, context) => {
  const reading = readApiParticulierToken(value);
  if (!reading.ok) context.addIssue({ code: 'custom', message: `jeton API Particulier invalide : ${reading.problem}` });
});

export const putFranceConnectSchema = z.strictObject({
  clientId: franceConnectCredential('client_id').meta({ description: '64 lowercase hexadecimal characters', example: '6925fb8143c76eded44d32b40c0cb1006065f7f003de52712b78985704f39950' }),
  clientSecret: franceConnectCredential('client_secret')
    .optional()
    .meta({ description: 'Write-only. Required the first time; omit it to keep the stored secret.', writeOnly: true }),
  signingAlgorithm: z.enum(FRANCECONNECT_SIGNING_ALGORITHMS).default('ES256'),
  issuerUrl: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: 'Required for `custom`; on test platforms (ALLOW_CUSTOM_ENDPOINTS) also accepted for another environment, to point it at a stand-in. https, or http://127.0.0.1 / localhost' }),
  version: z.number().int().min(1).optional(),
});
export type PutFranceConnectInput = z.output<typeof putFranceConnectSchema>;

const isoDate = z.iso.date({ message: 'date attendue au format AAAA-MM-JJ' });

export const putApiParticulierSchema = z.strictObject({
  token: apiParticulierToken
    .optional()
    .meta({ description: 'Write-only JWT (structure checked, expiry read from `exp`). Required the first time; omit it to keep the stored token.', writeOnly: true }),
  receivedOn: isoDate.optional().meta({ description: 'Day the token was received (default: today when a token is given)' }),
  expiresOn: isoDate.optional().meta({ description: 'Expiry (default: the token’s `exp` claim, else 18 months after receivedOn)' }),
  baseUrl: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: 'Required for `custom`; on test platforms (ALLOW_CUSTOM_ENDPOINTS) also accepted for another environment, to point it at a stand-in. https, or http://127.0.0.1 / localhost' }),
  version: z.number().int().min(1).optional(),
});
export type PutApiParticulierInput = z.output<typeof putApiParticulierSchema>;

/** The path of a FranceConnect environment's credentials. */
export const franceConnectCredentialParamsSchema = z.object({ id: z.string(), environment: z.enum(FRANCECONNECT_ENVIRONMENTS) });

/** The path of an API Particulier environment's credentials. */
export const apiParticulierCredentialParamsSchema = z.object({ id: z.string(), environment: z.enum(API_PARTICULIER_ENVIRONMENTS) });

/** A stored secret, only ever shown masked. */
export const secretStateSchema = z.object({
  status: z.enum(['ok', 'undecryptable']).meta({ description: '`undecryptable`: the stored value does not decrypt for this tenant (re-enter it)' }),
  masked: z.string().nullable().meta({ example: '••••••••a1b2' }),
  problem: z.string().optional(),
});
export type SecretState = z.output<typeof secretStateSchema>;

export const franceConnectCredentialViewSchema = z.object({
  environment: z.enum(FRANCECONNECT_ENVIRONMENTS),
  clientId: z.string(),
  clientSecret: secretStateSchema,
  signingAlgorithm: z.enum(FRANCECONNECT_SIGNING_ALGORITHMS),
  issuerUrl: z.string().nullable(),
  standIn: z.boolean().meta({ description: 'The environment points at a stand-in issuer (test platforms only)' }),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type FranceConnectCredentialView = z.output<typeof franceConnectCredentialViewSchema>;

export const apiParticulierCredentialViewSchema = z.object({
  environment: z.enum(API_PARTICULIER_ENVIRONMENTS),
  token: secretStateSchema,
  baseUrl: z.string().nullable(),
  standIn: z.boolean().meta({ description: 'The environment points at a stand-in URL (test platforms only)' }),
  receivedOn: calendarDate,
  expiresOn: calendarDate,
  expiresInDays: z.number().int(),
  expiryWarning: z.boolean().meta({ description: 'true from 60 days before the expiry' }),
  expired: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type ApiParticulierCredentialView = z.output<typeof apiParticulierCredentialViewSchema>;

export const credentialsViewSchema = z.object({
  franceconnect: z.array(franceConnectCredentialViewSchema),
  apiParticulier: z.array(apiParticulierCredentialViewSchema),
});
export type CredentialsView = z.output<typeof credentialsViewSchema>;

export const franceConnectUrisSchema = z.object({
  redirectUri: z.string().meta({ example: 'https://services.example.fr/t/mairie-de-clamart/auth/franceconnect/callback' }),
  postLogoutRedirectUri: z.string().meta({ example: 'https://services.example.fr/t/mairie-de-clamart/auth/franceconnect/logout/callback' }),
});
export type FranceConnectUris = z.output<typeof franceConnectUrisSchema>;
