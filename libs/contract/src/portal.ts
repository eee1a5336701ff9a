/** The citizen portal's API (`/api/portal/{slug}/...`): the portal, sign-up and login, the account, the data retrieval. */
import { z } from 'zod';
import { API_PARTICULIER_APIS, CITIZEN_GENDERS, CITIZEN_IDENTITY_SOURCES, FRANCECONNECT_ENVIRONMENTS, PASSWORD_MAX_LENGTH } from '@fcplat/domain';
import { emailSchema } from './accounts.js';
import { brandingViewSchema } from './tenants.js';
import { isoDateTime } from './text.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

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

/** `GET /data-retrieval/results?wait=true`: wait for the calls under way (up to the citizen deadline). */
export const dataRetrievalResultsQuerySchema = z.strictObject({
  wait: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'Wait for calls still under way, up to API_PARTICULIER_CITIZEN_DEADLINE_MS after they were queued' }),
});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** `GET /api/portal/{slug}`: what the portal shows before anyone logs in. */
export const portalViewSchema = z.object({
  slug: z.string(),
  name: z.string(),
  branding: brandingViewSchema,
  connexionEnabled: z.boolean().meta({ description: 'Login and sign-up with FranceConnect offered' }),
  dataRetrievalEnabled: z.boolean().meta({ description: '« Récupérer mes données avec FranceConnect » offered' }),
  dataRetrievalAtLogin: z.boolean().meta({ description: 'FranceConnect login and sign-up also retrieve the data, right after the token exchange' }),
  environment: z.object({
    franceConnect: z.enum(FRANCECONNECT_ENVIRONMENTS).nullable().meta({ description: 'Live FranceConnect environment chosen by staff (null: none yet)' }),
    test: z.boolean().meta({ description: 'Not production: a « environnement de test » banner is shown' }),
    franceConnectAvailable: z.boolean().meta({ description: 'FranceConnect can be offered now (environment chosen, client usable)' }),
  }),
});
export type PortalView = z.output<typeof portalViewSchema>;

/** `POST …/signup`: the same answer whatever the address. */
export const signupRequestedSchema = z.object({
  status: z.enum(['check_inbox']).meta({ description: 'An e-mail was sent to the address (an activation link, or a message saying it has an account)' }),
});

const pivotFields = {
  familyName: z.string().nullable().meta({ description: 'Birth name' }),
  givenNames: z.string().nullable().meta({ description: 'First names, space-separated' }),
  birthdate: z.string().nullable().meta({ description: 'YYYY-MM-DD (FranceConnect may send 00 for an unknown month or day)' }),
  birthplace: z.string().nullable().meta({ description: 'INSEE COG code of the birth commune (empty abroad)' }),
  birthcountry: z.string().nullable().meta({ description: 'INSEE COG code of the birth country (99100: France)' }),
  gender: z.enum(CITIZEN_GENDERS).nullable(),
};

/** The pivot identity (FC-15): birth name, first names, birth date, birth place and country, sex. */
export const pivotIdentitySchema = z.object(pivotFields);
export type PivotIdentityView = z.output<typeof pivotIdentitySchema>;

/** The citizen's identity and where it comes from (`franceconnect`: read-only, FC-15). */
export const identityViewSchema = z.object({ source: z.enum(CITIZEN_IDENTITY_SOURCES).meta({ description: 'franceconnect: read-only (FC-15)' }), ...pivotFields });
export type IdentityView = z.output<typeof identityViewSchema>;

/** `GET /api/portal/{slug}/me`: the logged-in citizen. */
export const citizenViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  email: z.string().nullable(),
  usageName: z.string().nullable(),
  identity: identityViewSchema.nullable(),
  franceConnectLinked: z.boolean(),
  franceConnectSessionExpiresAt: isoDateTime.optional().meta({ description: 'End of the 30-minute FranceConnect session of this login' }),
  pendingReconciliation: z
    .object({ identity: pivotIdentitySchema.meta({ description: 'The identity FranceConnect gave, to be linked to this account if the citizen confirms' }), expiresAt: isoDateTime })
    .optional(),
});
export type CitizenView = z.output<typeof citizenViewSchema>;

/** Answers that may send the browser to FranceConnect (logout, account deletion). */
export const redirectViewSchema = z.object({ redirect: z.string().nullable().meta({ description: 'FranceConnect logout URL to navigate to, or null' }) });
export type RedirectView = z.output<typeof redirectViewSchema>;

/** `POST …/data-retrieval`: confirm within the FranceConnect session, or go to FranceConnect. */
export const dataRetrievalStartSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('confirm_required'), expiresAt: isoDateTime.meta({ description: 'End of the FranceConnect session' }) }),
  z.object({ status: z.literal('redirect'), redirect: z.string().meta({ description: 'Where the browser goes to authenticate with FranceConnect' }) }),
]);
export type DataRetrievalStart = z.output<typeof dataRetrievalStartSchema>;

/** The useful values of one API's answer (never the raw answer). */
export const callSummarySchema = z.discriminatedUnion('api', [
  z.object({
    api: z.literal('quotient_familial'),
    quotientFamilial: z.object({ valeur: z.number(), annee: z.number(), mois: z.number(), fournisseur: z.enum(['CNAF', 'MSA']) }).nullable(),
    nombreEnfants: z.number().nullable(),
  }),
  z.object({
    api: z.literal('statut_etudiant'),
    estInscrit: z.boolean(),
    admission: z.object({ etablissement: z.string().nullable(), dateDebut: z.string().nullable(), dateFin: z.string().nullable(), regime: z.string().nullable() }).nullable(),
  }),
  z.object({
    api: z.literal('statut_etudiant_boursier'),
    estBoursier: z.boolean().nullable(),
    echelon: z.string().nullable(),
    dateRentree: z.string().nullable(),
    dureeVersementMois: z.number().nullable(),
  }),
  z.object({ api: z.literal('complementaire_sante_solidaire'), estBeneficiaire: z.boolean(), avecParticipation: z.boolean().nullable(), dateDebutDroit: z.string().nullable() }),
]);

/** One API's data as the portal shows it. */
export const retrievedDataSchema = z.object({
  api: z.enum(API_PARTICULIER_APIS),
  label: z.string(),
  provider: z.string(),
  usage: z.string().meta({ description: 'What the tenant uses the data for' }),
  status: z.enum(['succeeded', 'failed', 'pending']),
  description: z.string().nullable().meta({ description: 'One French sentence, e.g. « Quotient familial 2550 (CNAF, juin 2023) »' }),
  summary: callSummarySchema.nullable(),
  message: z.string().nullable().meta({ description: 'Why it failed, in plain French' }),
  retrievedAt: isoDateTime.nullable(),
});
export type RetrievedData = z.output<typeof retrievedDataSchema>;

/** `POST …/data-retrieval/confirm` */
export const dataRetrievalConfirmationSchema = z.object({ status: z.enum(['ok']), scopes: z.array(z.string()), results: z.array(retrievedDataSchema) });
export type DataRetrievalConfirmation = z.output<typeof dataRetrievalConfirmationSchema>;

/** `GET …/data-retrieval/results` */
export const dataRetrievalResultsSchema = z.object({ results: z.array(retrievedDataSchema) });
