import { z } from 'zod';
import { API_PARTICULIER_ENVIRONMENTS, FRANCECONNECT_ENVIRONMENTS, FRANCECONNECT_SIGNING_ALGORITHMS } from '@fcplat/db';
import { franceConnectCredentialProblem, readApiParticulierToken } from '@fcplat/domain';

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

const secretState = {
  type: 'object',
  required: ['status', 'masked'],
  properties: {
    status: { type: 'string', enum: ['ok', 'undecryptable'], description: '`undecryptable`: the stored value does not decrypt for this tenant (re-enter it)' },
    masked: { type: 'string', nullable: true, example: '••••••••a1b2' },
    problem: { type: 'string' },
  },
};

export const franceConnectCredentialViewSchema = {
  type: 'object',
  required: ['environment', 'clientId', 'clientSecret', 'signingAlgorithm', 'issuerUrl', 'standIn', 'updatedAt', 'version'],
  properties: {
    environment: { type: 'string', enum: [...FRANCECONNECT_ENVIRONMENTS] },
    clientId: { type: 'string' },
    clientSecret: secretState,
    signingAlgorithm: { type: 'string', enum: [...FRANCECONNECT_SIGNING_ALGORITHMS] },
    issuerUrl: { type: 'string', nullable: true },
    standIn: { type: 'boolean', description: 'The environment points at a stand-in issuer (test platforms only)' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
};

export const apiParticulierCredentialViewSchema = {
  type: 'object',
  required: ['environment', 'token', 'baseUrl', 'standIn', 'receivedOn', 'expiresOn', 'expiresInDays', 'expiryWarning', 'expired', 'updatedAt', 'version'],
  properties: {
    environment: { type: 'string', enum: [...API_PARTICULIER_ENVIRONMENTS] },
    token: secretState,
    baseUrl: { type: 'string', nullable: true },
    standIn: { type: 'boolean', description: 'The environment points at a stand-in URL (test platforms only)' },
    receivedOn: { type: 'string', format: 'date' },
    expiresOn: { type: 'string', format: 'date' },
    expiresInDays: { type: 'integer' },
    expiryWarning: { type: 'boolean', description: 'true from 60 days before the expiry' },
    expired: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
};

export const credentialsViewSchema = {
  type: 'object',
  required: ['franceconnect', 'apiParticulier'],
  properties: {
    franceconnect: { type: 'array', items: franceConnectCredentialViewSchema },
    apiParticulier: { type: 'array', items: apiParticulierCredentialViewSchema },
  },
};

export const franceConnectUrisViewSchema = {
  type: 'object',
  required: ['redirectUri', 'postLogoutRedirectUri'],
  properties: {
    redirectUri: { type: 'string', example: 'https://services.example.fr/t/mairie-de-clamart/auth/franceconnect/callback' },
    postLogoutRedirectUri: { type: 'string', example: 'https://services.example.fr/t/mairie-de-clamart/auth/franceconnect/logout/callback' },
  },
};
