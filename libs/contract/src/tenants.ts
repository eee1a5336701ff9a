/** Tenants: creation, reading, changes, and the company directory's preview of a SIRET. */
import { z } from 'zod';
import { checkSiret, PUBLIC_BODY_KINDS, slugProblem, TENANT_NAME_SOURCES, TENANT_STATUSES } from '@fcplat/domain';
import { pageQuerySchema, pageWithinWindow } from './pagination.js';
import { isoDateTime } from './text.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

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

/** `relevance`: the best matches of the search first (exact, then start, then part, then typo); the default when searching. */
export const TENANT_SORTS = ['name', 'createdAt', 'siret', 'relevance'] as const;

/** The tenant list's query: a page within the list's window (`LIST_WINDOW`), filters, a search. */
export const listTenantsQuerySchema = z.strictObject({
  ...pageQuerySchema(TENANT_SORTS, 'name').shape,
  sort: z
    .enum(TENANT_SORTS)
    .optional()
    .meta({ description: 'Default: `relevance` with a search that has a word of 3 characters or more, `name` otherwise (`relevance` without a search sorts by name)' }),
  status: z.enum(TENANT_STATUSES).optional(),
  search: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({
      description:
        'Words of the name, each anywhere in it or nearly (case, accents and a typo forgiven: « Clamrt » finds « Clamart »; words of 1 or 2 characters: the start of a word of the name), or the start of the SIRET or of the slug',
    }),
  legalCategory: z
    .string()
    .regex(/^[0-9]{1,4}$/, { message: 'code de catégorie juridique (1 à 4 chiffres)' })
    .optional()
    .meta({ description: 'INSEE legal category code or prefix (`7210`, `72`, `7`)' }),
  dataRetrievalEnabled: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
}).superRefine(pageWithinWindow);
export type ListTenantsQuery = z.output<typeof listTenantsQuerySchema>;


// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export const postalAddressSchema = z.object({
  street: z.string().optional(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  communeCode: z.string().nullable().optional().meta({ description: 'INSEE code of the commune, when the company directory gave it' }),
});

export const directoryWarningSchema = z.object({ code: z.string(), message: z.string() });

export const contactViewSchema = z.object({ name: z.string(), email: z.string(), phone: z.string().optional() });
export type Contact = z.output<typeof contactViewSchema>;

export const brandingViewSchema = z.object({
  portalName: z.string().optional(),
  logoUrl: z.string().optional().meta({ description: 'https only' }),
  primaryColor: z.string().optional().meta({ description: '#rrggbb' }),
  secondaryColor: z.string().optional(),
});
export type Branding = z.output<typeof brandingViewSchema>;

/** A tenant as the API shows it. */
export const tenantViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  siret: z.string(),
  slug: z.string(),
  name: z.string(),
  nameSource: z.enum(TENANT_NAME_SOURCES).meta({ description: 'Typed by staff, from the company directory, or a placeholder' }),
  status: z.enum(TENANT_STATUSES),
  address: postalAddressSchema.nullable(),
  legalCategory: z.object({ code: z.string(), label: z.string(), kind: z.enum(PUBLIC_BODY_KINDS) }).nullable(),
  directoryWarnings: z.array(directoryWarningSchema),
  directoryCheckedAt: isoDateTime.nullable(),
  technicalContact: contactViewSchema.nullable(),
  administrativeContact: contactViewSchema.nullable(),
  connexionEnabled: z.boolean(),
  dataRetrievalEnabled: z.boolean(),
  dataRetrievalAtLogin: z.boolean(),
  branding: brandingViewSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type TenantView = z.output<typeof tenantViewSchema>;

/** What the company directory says of a SIRET, before a client is created from it. */
export const directoryPreviewSchema = z.object({
  siret: z.string(),
  available: z.boolean().meta({ description: '`false` when the directory could not answer (the client may still be created)' }),
  found: z.boolean(),
  name: z.string().nullable(),
  address: z.object({ street: z.string().optional(), postalCode: z.string().nullable(), city: z.string().nullable() }).nullable(),
  legalCategoryCode: z.string().nullable(),
  legalCategoryLabel: z.string().nullable(),
  warnings: z.array(directoryWarningSchema),
  existingTenant: z.object({ id: z.string().meta({ format: 'uuid' }), name: z.string() }).nullable().meta({ description: 'The tenant that already has this SIRET, if any' }),
});
export type DirectoryPreview = z.output<typeof directoryPreviewSchema>;

/** A search of the company directory by name, before a client is created (the console's « nouveau client »). */
export const companyDirectorySearchQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(3, { message: 'au moins 3 caractères' })
    .max(100, { message: 'au plus 100 caractères' })
    .meta({ description: 'Words of the organisation’s name, address or SIRET (« mairie de clamart »)' }),
});
export type CompanyDirectorySearchQuery = z.output<typeof companyDirectorySearchQuerySchema>;

/** One organisation the directory found by name: its establishment (the one matching the words, or its head office), as a preview. */
export const directoryCandidateSchema = directoryPreviewSchema.omit({ available: true, found: true }).extend({ name: z.string() });
export type DirectoryCandidate = z.output<typeof directoryCandidateSchema>;

export const companyDirectorySearchSchema = z.object({
  available: z.boolean().meta({ description: '`false` when the directory could not answer (search by SIRET, or type the client in)' }),
  results: z.array(directoryCandidateSchema).meta({ description: 'Best first, at most 10' }),
});
export type CompanyDirectorySearch = z.output<typeof companyDirectorySearchSchema>;

