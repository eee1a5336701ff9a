import { z } from 'zod';
import { TENANT_STATUSES } from '@fcplat/db';
import { checkSiret } from '@fcplat/domain';
import { pageQuerySchema } from '../http/pagination.js';
import { slugProblem } from './slug.js';

/** A SIRET checked exactly as typed by @fcplat/domain (no trimming), with its French reason. */
export const siretSchema = z
  .string()
  .superRefine((value, ctx) => {
    const result = checkSiret(value);
    if (!result.valid) ctx.addIssue({ code: 'custom', message: result.message });
  })
  .meta({ description: 'SIRET: 14 digits, Luhn key (La Poste establishments: sum of digits multiple of 5)', example: '21920023500014' });

export const slugSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = slugProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'URL-safe identifier of the tenant (`/t/{slug}/`)', example: 'mairie-de-clamart' });

const PHONE = /^\+?[0-9][0-9 .()-]{5,24}$/;

export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email({ message: 'adresse e-mail invalide' }).max(254),
  phone: z.string().trim().regex(PHONE, { message: 'numéro de téléphone invalide' }).optional(),
});
export type ContactInput = z.output<typeof contactSchema>;

const nameSchema = z.string().trim().min(1).max(300);

export const createTenantSchema = z.strictObject({
  siret: siretSchema,
  slug: slugSchema.optional(),
  name: nameSchema.optional(),
  technicalContact: contactSchema.optional(),
  administrativeContact: contactSchema.optional(),
  connexionEnabled: z.boolean().optional(),
  dataRetrievalEnabled: z.boolean().optional(),
});
export type CreateTenantInput = z.output<typeof createTenantSchema>;

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'couleur attendue au format #rrggbb' });
const httpsUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, { message: 'URL https:// attendue' });

export const brandingSchema = z.strictObject({
  portalName: z.string().trim().min(1).max(100).nullable().optional(),
  logoUrl: httpsUrlSchema.nullable().optional(),
  primaryColor: colorSchema.nullable().optional(),
  secondaryColor: colorSchema.nullable().optional(),
});

/**
 * PATCH body. Staff (write) may change every field; a client administrator only
 * the contacts, the branding, `dataRetrievalEnabled` and `dataRetrievalAtLogin` (other fields get 403).
 */
export const patchTenantSchema = z.strictObject({
  version: z.number().int().min(1).meta({ description: 'Version read with the tenant (optimistic concurrency: 409 when it changed)' }),
  name: nameSchema.optional(),
  status: z.enum(TENANT_STATUSES).optional(),
  technicalContact: contactSchema.nullable().optional(),
  administrativeContact: contactSchema.nullable().optional(),
  connexionEnabled: z.boolean().optional(),
  dataRetrievalEnabled: z.boolean().optional(),
  dataRetrievalAtLogin: z
    .boolean()
    .optional()
    .meta({ description: 'FranceConnect login and sign-up also retrieve the data at once (needs `dataRetrievalEnabled`; switched off with it)' }),
  branding: brandingSchema.optional(),
});
export type PatchTenantInput = z.output<typeof patchTenantSchema>;

export const CLIENT_ADMIN_PATCHABLE: ReadonlySet<keyof PatchTenantInput> = new Set([
  'version',
  'technicalContact',
  'administrativeContact',
  'branding',
  'dataRetrievalEnabled',
  'dataRetrievalAtLogin',
]);

export const TENANT_SORTS = ['name', 'createdAt', 'siret'] as const;

export const listTenantsQuerySchema = z.strictObject({
  ...pageQuerySchema(TENANT_SORTS, 'name').shape,
  status: z.enum(TENANT_STATUSES).optional(),
  search: z.string().trim().min(1).max(100).optional().meta({ description: 'Part of the name (case and accents ignored), or the start of the SIRET' }),
  legalCategory: z
    .string()
    .regex(/^[0-9]{1,4}$/, { message: 'code de catégorie juridique (1 à 4 chiffres)' })
    .optional()
    .meta({ description: 'INSEE legal category code or prefix (`7210`, `72`, `7`)' }),
  dataRetrievalEnabled: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type ListTenantsQuery = z.output<typeof listTenantsQuerySchema>;

const warningView = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } };
const contactView = {
  type: 'object',
  nullable: true,
  required: ['name', 'email'],
  properties: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } },
};

/** OpenAPI schema of a tenant as returned by the API. */
export const tenantViewSchema: Record<string, unknown> = {
  type: 'object',
  required: ['id', 'siret', 'slug', 'name', 'status', 'directoryWarnings', 'connexionEnabled', 'dataRetrievalEnabled', 'dataRetrievalAtLogin', 'branding', 'createdAt', 'updatedAt', 'version'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    siret: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    nameSource: { type: 'string', enum: ['manual', 'directory', 'placeholder'] },
    status: { type: 'string', enum: [...TENANT_STATUSES] },
    address: {
      type: 'object',
      nullable: true,
      properties: { street: { type: 'string' }, postalCode: { type: 'string', nullable: true }, city: { type: 'string', nullable: true }, communeCode: { type: 'string', nullable: true } },
    },
    legalCategory: {
      type: 'object',
      nullable: true,
      required: ['code', 'label', 'kind'],
      properties: { code: { type: 'string' }, label: { type: 'string' }, kind: { type: 'string', enum: ['public_administrative', 'public_commercial', 'not_public'] } },
    },
    directoryWarnings: { type: 'array', items: warningView },
    directoryCheckedAt: { type: 'string', format: 'date-time', nullable: true },
    technicalContact: contactView,
    administrativeContact: contactView,
    connexionEnabled: { type: 'boolean' },
    dataRetrievalEnabled: { type: 'boolean' },
    dataRetrievalAtLogin: { type: 'boolean' },
    branding: {
      type: 'object',
      properties: { portalName: { type: 'string' }, logoUrl: { type: 'string' }, primaryColor: { type: 'string' }, secondaryColor: { type: 'string' } },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
};
