/** DataPass habilitations of a tenant, recorded by hand by staff (or by the DataPass webhook). */
import { z } from 'zod';
import { CALL_MODALITIES, HABILITATION_CHANGE_SOURCES, HABILITATION_PRODUCTS, HABILITATION_STATE_LABELS, HABILITATION_STATES } from '@fcplat/domain';
import { isoDateTime, multilineText } from './text.js';

const isoDateTimeInput = z.iso.datetime({ offset: true, message: 'date et heure ISO 8601 attendues' });

export const habilitationDatesSchema = z.strictObject({
  submittedAt: isoDateTimeInput.optional(),
  changesRequestedAt: isoDateTimeInput.optional(),
  validatedAt: isoDateTimeInput.optional(),
  refusedAt: isoDateTimeInput.optional(),
  revokedAt: isoDateTimeInput.optional(),
  archivedAt: isoDateTimeInput.optional(),
});

export const putHabilitationSchema = z.strictObject({
  state: z.enum(HABILITATION_STATES).meta({ description: Object.entries(HABILITATION_STATE_LABELS).map(([k, v]) => `\`${k}\`: ${v}`).join('; ') }),
  dataPassId: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, { message: 'numéro DataPass invalide (chiffres, lettres, - et _)' })
    .nullable()
    .optional()
    .meta({ description: 'DataPass request number; a new one is required when a refused/revoked/archived habilitation is filed again' }),
  scopes: z.array(z.string().min(1).max(100)).max(100).optional(),
  modalities: z.array(z.enum(CALL_MODALITIES)).max(CALL_MODALITIES.length).optional(),
  dates: habilitationDatesSchema.optional().meta({ description: 'Dates as DataPass shows them; the date of the new state defaults to now' }),
  note: multilineText(z.string().trim().min(1).max(1000)).optional(),
  version: z.number().int().min(1).optional().meta({ description: 'Current version (optimistic concurrency: 409 when it changed)' }),
});
export type PutHabilitationInput = z.output<typeof putHabilitationSchema>;

/** The path of a habilitation: the tenant and the product. */
export const habilitationParamsSchema = z.object({ id: z.string(), product: z.enum(HABILITATION_PRODUCTS) });

export const habilitationViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  tenantId: z.string().meta({ format: 'uuid' }),
  product: z.enum(HABILITATION_PRODUCTS),
  state: z.enum(HABILITATION_STATES),
  stateLabel: z.string(),
  dataPassId: z.string().nullable(),
  dataPassPublicId: z.string().nullable(),
  scopes: z.array(z.string()),
  modalities: z.array(z.string()),
  submittedAt: isoDateTime.nullable(),
  changesRequestedAt: isoDateTime.nullable(),
  validatedAt: isoDateTime.nullable(),
  refusedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
  archivedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type HabilitationView = z.output<typeof habilitationViewSchema>;

export const habilitationHistoryViewSchema = z.object({
  id: z.string(),
  product: z.enum(HABILITATION_PRODUCTS),
  fromState: z.enum(HABILITATION_STATES).nullable(),
  toState: z.enum(HABILITATION_STATES),
  source: z.enum(HABILITATION_CHANGE_SOURCES),
  actorType: z.string(),
  actorId: z.string().nullable(),
  dataPassEvent: z.string().nullable(),
  dataPassId: z.string().nullable(),
  note: z.string().nullable(),
  occurredAt: isoDateTime,
});
export type HabilitationHistoryView = z.output<typeof habilitationHistoryViewSchema>;
