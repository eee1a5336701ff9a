import { multilineText } from '../http/validation.js';
import { z } from 'zod';
import { CALL_MODALITIES, HABILITATION_PRODUCTS, HABILITATION_STATE_LABELS, HABILITATION_STATES } from '@fcplat/domain';

/** FranceConnect v2 identity scopes a FranceConnect habilitation may grant (DataPass `france_connect` definition). */
export const FRANCECONNECT_SCOPES = [
  'openid',
  'identite_pivot',
  'given_name',
  'family_name',
  'birthdate',
  'gender',
  'birthplace',
  'birthcountry',
  'preferred_username',
  'email',
] as const;

const isoDateTime = z.iso.datetime({ offset: true, message: 'date et heure ISO 8601 attendues' });

export const habilitationDatesSchema = z.strictObject({
  submittedAt: isoDateTime.optional(),
  changesRequestedAt: isoDateTime.optional(),
  validatedAt: isoDateTime.optional(),
  refusedAt: isoDateTime.optional(),
  revokedAt: isoDateTime.optional(),
  archivedAt: isoDateTime.optional(),
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

const nullableDate = { type: 'string', format: 'date-time', nullable: true };

export const habilitationViewSchema: Record<string, unknown> = {
  type: 'object',
  required: ['id', 'tenantId', 'product', 'state', 'stateLabel', 'scopes', 'modalities', 'version'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    tenantId: { type: 'string', format: 'uuid' },
    product: { type: 'string', enum: [...HABILITATION_PRODUCTS] },
    state: { type: 'string', enum: [...HABILITATION_STATES] },
    stateLabel: { type: 'string' },
    dataPassId: { type: 'string', nullable: true },
    dataPassPublicId: { type: 'string', nullable: true },
    scopes: { type: 'array', items: { type: 'string' } },
    modalities: { type: 'array', items: { type: 'string' } },
    submittedAt: nullableDate,
    changesRequestedAt: nullableDate,
    validatedAt: nullableDate,
    refusedAt: nullableDate,
    revokedAt: nullableDate,
    archivedAt: nullableDate,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
};

export const habilitationHistoryViewSchema: Record<string, unknown> = {
  type: 'object',
  required: ['id', 'product', 'fromState', 'toState', 'source', 'actorType', 'occurredAt'],
  properties: {
    id: { type: 'string' },
    product: { type: 'string', enum: [...HABILITATION_PRODUCTS] },
    fromState: { type: 'string', enum: [...HABILITATION_STATES], nullable: true },
    toState: { type: 'string', enum: [...HABILITATION_STATES] },
    source: { type: 'string', enum: ['manual', 'webhook'] },
    actorType: { type: 'string' },
    actorId: { type: 'string', nullable: true },
    dataPassEvent: { type: 'string', nullable: true },
    dataPassId: { type: 'string', nullable: true },
    note: { type: 'string', nullable: true },
    occurredAt: { type: 'string', format: 'date-time' },
  },
};
