/** The audit log: who did what, when, on which tenant. */
import { z } from 'zod';
import { USER_KINDS } from '@fcplat/domain';
import { pageQuerySchema } from './pagination.js';
import { isoDateTime } from './text.js';

const instant = z.iso.datetime({ offset: true, message: 'date et heure ISO 8601 attendues (ex. 2026-01-31T00:00:00Z)' });

const auditFilters = {
  ...pageQuerySchema(['occurredAt'], 'occurredAt').shape,
  /** Newest first unless told otherwise. */
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Beginning of the action, e.g. `onboarding.` or `qualification.item_updated`. */
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_.]+$/, { message: 'lettres minuscules, chiffres, « _ » et « . » seulement' })
    .optional(),
  actorId: z.string().trim().min(1).max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
};

export const auditQuerySchema = z.strictObject({
  ...auditFilters,
  tenantId: z.uuid({ message: 'identifiant invalide' }).optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const tenantAuditQuerySchema = z.strictObject(auditFilters);

/** The journal's export: the same filters, no pages (at most `AUDIT_EXPORT_MAX_ROWS` rows, newest first). */
export const tenantAuditExportQuerySchema = z.strictObject({
  action: auditFilters.action,
  actorId: auditFilters.actorId,
  from: auditFilters.from,
  to: auditFilters.to,
});
export type TenantAuditExportQuery = z.output<typeof tenantAuditExportQuerySchema>;
export const AUDIT_EXPORT_MAX_ROWS = 50_000;
export type TenantAuditQuery = z.output<typeof tenantAuditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  occurredAt: isoDateTime,
  actor: z.object({ type: z.string(), id: z.string().nullable(), displayName: z.string().nullable() }),
  tenantId: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  changes: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});
export type AuditEntryView = z.output<typeof auditEntrySchema>;

/**
 * The people who acted in one tenant's journal (staff members and client administrators, whoever
 * wrote at least one of its rows), for the journal's « auteur » filter (`actorId`).
 */
export const auditAuthorSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  displayName: z.string(),
  kind: z.enum(USER_KINDS),
});
export type AuditAuthorView = z.output<typeof auditAuthorSchema>;
export const auditAuthorsSchema = z.object({ items: z.array(auditAuthorSchema) });
