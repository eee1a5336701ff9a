/** A tenant's API Particulier activity: the call log (never the data) and the CSV batches. */
import { z } from 'zod';
import { API_PARTICULIER_APIS, API_PARTICULIER_ENVIRONMENTS, BATCH_MODALITIES, CALL_MODALITIES, CALL_STATUSES, QUEUE_IDS, QUEUE_JOB_STATES } from '@fcplat/domain';
import { pageQuerySchema } from './pagination.js';
import { isoDateTime } from './text.js';

export const callListQuerySchema = pageQuerySchema(['queuedAt', 'finishedAt', 'latencyMs'] as const, 'queuedAt')
  .extend({
    order: z.enum(['asc', 'desc']).default('desc'),
    status: z.enum(CALL_STATUSES).optional(),
    api: z.enum(API_PARTICULIER_APIS).optional(),
    origin: z.enum(['citizen', 'batch', 'staff']).optional(),
    batchId: z.uuid().optional(),
    errorCode: z.string().regex(/^[A-Z][A-Z0-9_]{1,59}$/).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** The dossier reference, exactly as sent in the batch file. */
    dossierReference: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type CallListQuery = z.output<typeof callListQuerySchema>;

export const allCallsQuerySchema = callListQuerySchema.extend({ tenantId: z.uuid().optional() }).strict();
export type AllCallsQuery = z.output<typeof allCallsQuerySchema>;

/** The call log's export: the same filters, no pages (at most `CALL_EXPORT_MAX_ROWS` rows, newest first). */
export const callExportQuerySchema = callListQuerySchema.pick({ status: true, api: true, origin: true, batchId: true, errorCode: true, from: true, to: true, dossierReference: true }).strict();
export type CallExportQuery = z.output<typeof callExportQuerySchema>;
export const CALL_EXPORT_MAX_ROWS = 50_000;

export const batchUploadQuerySchema = z
  .object({
    api: z.enum(API_PARTICULIER_APIS),
    modality: z.enum(BATCH_MODALITIES).default('pivot_identity'),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine((name) => !/[/\\]/.test(name) && [...name].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f), 'nom de fichier invalide')
      .default('dossiers.csv'),
  })
  .strict();
export type BatchUploadQuery = z.output<typeof batchUploadQuerySchema>;

/** The modality of the template file (pivot identity by default). */
export const batchTemplateQuerySchema = z.object({ modality: z.enum(BATCH_MODALITIES).optional() });

export const batchListQuerySchema = pageQuerySchema(['createdAt'] as const, 'createdAt').extend({ order: z.enum(['asc', 'desc']).default('desc') }).strict();
export type BatchListQuery = z.output<typeof batchListQuerySchema>;

const callView = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  tenantName: z.string().optional(),
  recipient: z.string(),
  environment: z.enum(API_PARTICULIER_ENVIRONMENTS).describe('API Particulier environment the call used'),
  environmentLabel: z.string(),
  api: z.enum(API_PARTICULIER_APIS),
  apiLabel: z.string(),
  modality: z.enum(CALL_MODALITIES),
  origin: z.enum(['citizen', 'batch', 'staff']),
  triggeredBy: z.string().describe('`citizen:<id>` or `account:<id>`; never a name'),
  triggeredByLabel: z.string().describe('« Usager du portail » or the agent’s e-mail'),
  batchId: z.uuid().nullable(),
  batchLine: z.int().nullable(),
  dossierReference: z.string().nullable(),
  status: z.enum(CALL_STATUSES),
  httpStatus: z.int().nullable(),
  errorCode: z.string().nullable(),
  errorLabel: z.string().nullable(),
  upstreamCode: z.string().nullable(),
  latencyMs: z.int().nullable(),
  attempts: z.int(),
  rateLimited: z.int(),
  ambiguousAttempts: z.int().describe('Attempts API Particulier may have received without the platform knowing (a timeout, a takeover after a worker died): each may be a duplicate upstream'),
  schemaDrift: z.string().nullable().describe('A 200 kept although an optional block differed from the documented shape: the paths and kinds, never the values'),
  queuedAt: isoDateTime,
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
});
export const callViewSchema = callView;
export type CallView = z.infer<typeof callView>;

export const batchViewSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  api: z.enum(API_PARTICULIER_APIS),
  apiLabel: z.string(),
  modality: z.enum(BATCH_MODALITIES),
  environment: z.enum(API_PARTICULIER_ENVIRONMENTS).nullable().describe('API Particulier environment of the batch’s calls (the live one when it was sent)'),
  environmentLabel: z.string().nullable(),
  fileName: z.string(),
  createdAt: isoDateTime,
  createdBy: z.string().nullable(),
  totalLines: z.int(),
  acceptedLines: z.int(),
  rejectedLines: z.int(),
  progress: z.object({
    queued: z.int(),
    inProgress: z.int(),
    succeeded: z.int(),
    failed: z.int(),
    done: z.boolean(),
  }),
});
export type BatchView = z.infer<typeof batchViewSchema>;

export const batchLinesQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type BatchLinesQuery = z.output<typeof batchLinesQuerySchema>;

/** One line of a batch file, as it stands: accepted (its call's status) or rejected (why); never the data. */
export const batchLineSchema = z.object({
  line: z.int(),
  reference: z.string().nullable(),
  status: z.enum([...CALL_STATUSES, 'rejected']),
  statusLabel: z.string(),
  errorCode: z.string().nullable(),
  reason: z.string().nullable().describe('Why the line failed or was rejected, in French'),
  finishedAt: isoDateTime.nullable(),
});
export type BatchLineView = z.infer<typeof batchLineSchema>;

export const batchDetailSchema = batchViewSchema.extend({
  rejections: z.array(z.object({ line: z.int(), reference: z.string().nullable(), reasons: z.array(z.string()) })),
});
export type BatchDetail = z.infer<typeof batchDetailSchema>;

/**
 * The staff « Files d'attente » page of the console: each queue's jobs per state (BullMQ), the
 * API Particulier calls per state (ledger), the rate-limit pauses in force, the last hour, the
 * tenants waiting most and the failures of the last 24 hours. Labels are French, from libs/domain.
 */
export const queueDashboardSchema = z.object({
  generatedAt: isoDateTime,
  backend: z.object({
    kind: z.string().meta({ description: '`redis` or `postgres`' }),
    up: z.boolean(),
    latencyMs: z.number().int().meta({ description: 'Round trip of the counts' }),
  }),
  queues: z
    .array(
      z.object({
        queue: z.enum(QUEUE_IDS),
        label: z.string(),
        counts: z.array(z.object({ state: z.enum(QUEUE_JOB_STATES), label: z.string(), count: z.number().int() })),
      }),
    )
    .meta({ description: 'Empty when the queue backend does not answer (`backend.up` false)' }),
  calls: z.array(z.object({ status: z.enum(CALL_STATUSES), label: z.string(), count: z.number().int() })),
  lastHour: z.object({
    calls: z.number().int(),
    failed: z.number().int(),
    rateLimited: z.number().int().meta({ description: '429 answers received' }),
    latencyP50Ms: z.number().int().nullable(),
    latencyP95Ms: z.number().int().nullable(),
  }),
  pauses: z
    .array(z.object({ bucket: z.string().meta({ description: 'French: which rate-limit bucket is paused' }), until: isoDateTime, reason: z.string().nullable() }))
    .meta({ description: 'Rate-limit buckets paused now (a 429 answered, or a limit reached)' }),
  ipCeiling: z.object({
    configuredPerMinute: z.number().int(),
    learntPerMinute: z.number().int().nullable().meta({ description: 'A lower ceiling learnt from API Particulier’s answers, `null` when none is lower' }),
    learntAt: isoDateTime.nullable(),
  }),
  tenantsWithBacklog: z.array(z.object({ tenantId: z.string().meta({ format: 'uuid' }), name: z.string(), queued: z.number().int(), inProgress: z.number().int() })),
  failures24h: z.array(z.object({ errorCode: z.string().nullable(), label: z.string().nullable(), count: z.number().int() })),
});
export type QueueDashboard = z.output<typeof queueDashboardSchema>;
