/** The live FranceConnect and API Particulier environments of a tenant, chosen by staff, and the live set-up check. */
import { z } from 'zod';
import { LIVE_ENVIRONMENT_PRODUCTS, ONBOARDING_STAGES } from '@fcplat/domain';
import { isoDateTime } from './text.js';

export const chooseLiveEnvironmentSchema = z.strictObject({
  environment: z.string().min(1).max(40).meta({ description: 'Target environment of the product (see GET …/environments for the options)' }),
  reason: z.string().trim().max(500).optional().meta({ description: 'Why; required (5 characters at least) when leaving production' }),
  version: z.number().int().min(1).optional().meta({ description: 'Version of the current choice (optimistic concurrency)' }),
});
export type ChooseLiveEnvironmentInput = z.output<typeof chooseLiveEnvironmentSchema>;

/** The path segment of each product in the live-environment routes. */
export const LIVE_ENVIRONMENT_PRODUCT_SEGMENTS = ['franceconnect', 'api-particulier'] as const;

/** The path of a product's live environment. */
export const liveEnvironmentParamsSchema = z.object({ id: z.string(), product: z.enum(LIVE_ENVIRONMENT_PRODUCT_SEGMENTS) });

export const liveChoiceSchema = z.object({
  environment: z.string(),
  label: z.string(),
  production: z.boolean(),
  chosenAt: isoDateTime,
  chosenBy: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'null: set by the platform itself (upgrade of an existing tenant, demo seed)' }),
  reason: z.string().nullable(),
  version: z.number().int(),
});

export const environmentOptionSchema = z.object({
  environment: z.string(),
  label: z.string(),
  production: z.boolean(),
  live: z.boolean(),
  credentials: z.enum(['missing', 'unusable', 'usable']),
  problem: z.string().nullable().meta({ description: 'Why the credentials are missing or unusable (French)' }),
  standIn: z.boolean().meta({ description: 'Pointed at a stand-in issuer/URL (test platforms only)' }),
  lastSuccessAt: isoDateTime.nullable().meta({ description: 'Last successful FranceConnect login / API Particulier call in this environment' }),
  switch: z.object({
    allowed: z.boolean(),
    code: z.string().nullable(),
    message: z.string().nullable().meta({ description: 'Why it cannot be chosen now (French)' }),
    reasonRequired: z.boolean(),
  }),
});

export const productEnvironmentsSchema = z.object({
  product: z.enum(LIVE_ENVIRONMENT_PRODUCTS),
  live: liveChoiceSchema.nullable(),
  usable: z.boolean().meta({ description: 'A live environment is chosen and its credentials are usable' }),
  problem: z.string().nullable().meta({ description: 'What staff must fix when not usable (French)' }),
  environments: z.array(environmentOptionSchema),
});

export const environmentsViewSchema = z.object({
  stage: z.enum(ONBOARDING_STAGES),
  stageLabel: z.string(),
  franceconnect: productEnvironmentsSchema,
  apiParticulier: productEnvironmentsSchema,
});

export const liveCheckSchema = z.object({
  environment: z.string(),
  label: z.string(),
  ok: z.boolean(),
  summary: z.string().meta({ description: 'French verdict' }),
  checkedAt: isoDateTime,
  steps: z.array(
    z.object({
      step: z.enum(['credentials', 'discovery', 'jwks', 'client_id', 'client_secret']),
      status: z.enum(['ok', 'failed', 'skipped']),
      detail: z.string(),
      durationMs: z.number().nullable(),
    }),
  ),
});

export type LiveChoiceView = z.infer<typeof liveChoiceSchema>;
export type EnvironmentOptionView = z.infer<typeof environmentOptionSchema>;
export type ProductEnvironmentsView = z.infer<typeof productEnvironmentsSchema>;
export type EnvironmentsView = z.infer<typeof environmentsViewSchema>;
export type LiveCheckView = z.infer<typeof liveCheckSchema>;
export type LiveCheckStep = LiveCheckView['steps'][number]['step'];
