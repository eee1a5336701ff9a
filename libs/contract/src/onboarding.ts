/** Onboarding cases, the pipeline, the platform's onboarding settings and the qualification checklist. */
import {
  COMMENT_VISIBILITIES,
  HABILITATION_STATES,
  ITEM_STATUSES,
  ONBOARDING_STAGES,
  QUALIFICATION_ITEM_IDS,
  QUALIFICATION_MODES,
  isValidDsFileNumber,
} from '@fcplat/domain';
import { z } from 'zod';
import { pageQuerySchema, pageWithinWindow } from './pagination.js';
import { calendarDate, isoDateTime, multilineText } from './text.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const dsFileNumber = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .refine(isValidDsFileNumber, { message: 'le numéro de dossier Démarches Simplifiées ne contient que des chiffres' });

const uuid = z.uuid({ message: 'identifiant invalide' });

export const transitionBodySchema = z.strictObject({
  to: z.enum(ONBOARDING_STAGES),
  reason: multilineText(z.string().trim().max(2000)).optional(),
  dsFileNumber: dsFileNumber.optional(),
});
export type TransitionBody = z.output<typeof transitionBodySchema>;

export const casePatchSchema = z
  .strictObject({
    assigneeId: uuid.nullable().optional(),
    dsFileNumber: dsFileNumber.nullable().optional(),
  })
  .refine((v) => v.assigneeId !== undefined || v.dsFileNumber !== undefined, {
    message: 'indiquez au moins un champ à modifier (assigneeId, dsFileNumber)',
  });
export type CasePatch = z.output<typeof casePatchSchema>;

export const commentBodySchema = z.strictObject({
  body: multilineText(z.string().trim().min(1).max(5000)),
  /**
   * Required from staff, who choose explicitly: `internal` (the team only) or `client` (the
   * client's administrators read it too). A client administrator's comment is always `client`
   * (omit it, or send `client`).
   */
  visibility: z.enum(COMMENT_VISIBILITIES, { message: 'choisissez « note interne » ou « message au client »' }).optional(),
});
export type CommentInput = z.output<typeof commentBodySchema>;

export const historyQuerySchema = z.strictObject({
  ...pageQuerySchema(['occurredAt'], 'occurredAt').shape,
});

export const commentsQuerySchema = z.strictObject({
  ...pageQuerySchema(['createdAt'], 'createdAt').shape,
});

export const CASE_SORTS = ['waiting', 'stage', 'name'] as const;

export const casesQuerySchema = z.strictObject({
  ...pageQuerySchema(CASE_SORTS, 'waiting').shape,
  /** Default: longest waiting first for `waiting`, ascending otherwise. */
  order: z.enum(['asc', 'desc']).optional(),
  stage: z.enum(ONBOARDING_STAGES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** A staff user id, or `none` for unassigned cases. */
  assignee: z.union([uuid, z.literal('none')]).optional(),
  /** Part of the tenant's name (as the tenant list searches it), or the beginning of its SIRET (digits). */
  search: z.string().trim().min(1).max(100).optional(),
}).superRefine(pageWithinWindow);
export type CasesQuery = z.output<typeof casesQuerySchema>;

/** The export of the pipeline: the list's filters and order, no pages (at most `PIPELINE_EXPORT_MAX_ROWS` rows). */
export const casesExportQuerySchema = z.strictObject({
  sort: z.enum(CASE_SORTS).default('waiting'),
  order: z.enum(['asc', 'desc']).optional(),
  stage: z.enum(ONBOARDING_STAGES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  assignee: z.union([uuid, z.literal('none')]).optional(),
  search: z.string().trim().min(1).max(100).optional(),
});
export type CasesExportQuery = z.output<typeof casesExportQuerySchema>;
export const PIPELINE_EXPORT_MAX_ROWS = 20_000;

/** The most cases one bulk action takes (each is its own transaction: the request stays short). */
export const BULK_MAX_CASES = 200;

const bulkTenantIds = z
  .array(uuid)
  .min(1, { message: 'sélectionnez au moins un dossier' })
  .max(BULK_MAX_CASES, { message: `au plus ${BULK_MAX_CASES} dossiers à la fois` })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'un même dossier est sélectionné deux fois' });

/** Assign (or unassign, `null`) several cases at once. */
export const bulkAssignBodySchema = z.strictObject({
  tenantIds: bulkTenantIds,
  assigneeId: uuid.nullable(),
});
export type BulkAssignBody = z.output<typeof bulkAssignBodySchema>;

/** Move several cases to one stage; each move is checked by the onboarding rules on its own. */
export const bulkMoveBodySchema = z.strictObject({
  tenantIds: bulkTenantIds,
  to: z.enum(ONBOARDING_STAGES),
  /** Required by a rollback, as for one case. */
  reason: multilineText(z.string().trim().max(2000)).optional(),
});
export type BulkMoveBody = z.output<typeof bulkMoveBodySchema>;

export const settingsBodySchema = z.strictObject({
  editorQualified: z.strictObject({ connexion: z.boolean(), dataRetrieval: z.boolean() }),
});

export const checklistItemBodySchema = z.strictObject({
  status: z.enum(ITEM_STATUSES),
  evidenceText: multilineText(z.string().trim().max(5000)).nullable().optional(),
  evidenceUrl: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain, message: 'lien https attendu' })
    .max(2048)
    .nullable()
    .optional(),
});
export type ChecklistItemBody = z.output<typeof checklistItemBodySchema>;

// ---------------------------------------------------------------------------------------------
// Responses (the OpenAPI document, the types the services return and the clients read)
// ---------------------------------------------------------------------------------------------

const stage = z.enum(ONBOARDING_STAGES);
const party = z.enum(['client', 'editor', 'datapass', 'franceconnect', 'api_particulier']);
const userRef = z.object({ id: z.string(), displayName: z.string() });

export const transitionReasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  itemIds: z.array(z.string()).optional(),
});

/** What names a case and its stage, first in both its full view and its list row. */
const caseHeading = {
  tenantId: z.string(),
  tenantName: z.string(),
  siret: z.string(),
  stage,
  stageLabel: z.string(),
  stageEnteredAt: isoDateTime,
};

export const caseViewSchema = z.object({
  ...caseHeading,
  assignee: userRef.nullable(),
  dsFileNumber: z.string().nullable(),
  modes: z.object({ connexion: z.boolean(), dataRetrieval: z.boolean() }),
  habilitations: z.object({
    franceconnect: z.enum(HABILITATION_STATES).nullable(),
    api_particulier: z.enum(HABILITATION_STATES).nullable(),
  }),
  timing: z.object({
    workingDays: z.number().int().describe('Working days (French public holidays excluded) waited at this stage'),
    calendarDays: z.number().int(),
    slaWorkingDays: z.number().int().nullable(),
    deadline: calendarDate.nullable().describe('Last date still on time'),
    overdue: z.boolean(),
    overdueBy: z.number().int(),
    waitingOn: party,
    waitingOnLabel: z.string(),
    message: z.string(),
  }),
  progress: z.object({
    summary: z.string(),
    done: z.array(z.string()),
    nextActions: z.array(z.object({ actor: party, actorLabel: z.string(), text: z.string() })),
    blockers: z.array(transitionReasonSchema),
  }),
  availableTransitions: z
    .array(z.object({ to: stage, label: z.string(), kind: z.enum(['advance', 'skip', 'rollback']), reasonRequired: z.boolean() }))
    .describe('Moves the caller may make now (a rollback needs a reason)'),
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type CaseView = z.output<typeof caseViewSchema>;

export const historyEntrySchema = z.object({
  id: z.string(),
  fromStage: stage.nullable(),
  toStage: stage,
  toStageLabel: z.string(),
  kind: z.enum(['opened', 'advance', 'skip', 'rollback']),
  passedThrough: z.array(stage),
  reason: z.string().nullable(),
  dsFileNumber: z.string().nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), displayName: z.string().nullable() }),
  occurredAt: isoDateTime,
});
export type CaseHistoryEntry = z.output<typeof historyEntrySchema>;

export const commentSchema = z.object({
  id: z.string(),
  author: z.object({ id: z.string().nullable(), type: z.string(), displayName: z.string() }),
  body: z.string(),
  /** A client administrator only ever receives `client` comments. */
  visibility: z.enum(COMMENT_VISIBILITIES),
  createdAt: isoDateTime,
});
export type CommentView = z.output<typeof commentSchema>;

export const caseListItemSchema = z.object({
  ...caseHeading,
  waitingWorkingDays: z.number().int(),
  /** Who has to act for the case to leave its stage, and its name for staff (« Le client »…). */
  waitingOn: party,
  waitingOnLabel: z.string(),
  deadline: calendarDate.nullable(),
  overdue: z.boolean(),
  assignee: userRef.nullable(),
  dsFileNumber: z.string().nullable(),
  liveEnvironments: z
    .object({ franceconnect: z.string().nullable(), apiParticulier: z.string().nullable() })
    .describe('Live FranceConnect and API Particulier environments chosen by staff (null: none yet)'),
});
export type CaseListItem = z.output<typeof caseListItemSchema>;

export const bulkResultSchema = z.object({
  results: z
    .array(
      z.object({
        tenantId: z.string(),
        tenantName: z.string().nullable().describe('null when the tenant does not exist'),
        ok: z.boolean(),
        /** The case's stage after the action (or as it stayed when refused; null when not found). */
        stage: stage.nullable(),
        stageLabel: z.string().nullable(),
        /** Refusals: the stable error code (`CONFLICT`, `FORBIDDEN`, `VALIDATION_FAILED`, `NOT_FOUND`) and the French reason. */
        code: z.string().nullable(),
        message: z.string().nullable(),
        reasons: z.array(transitionReasonSchema).describe('The onboarding rules that refused the move (empty otherwise)'),
      }),
    )
    .describe('One result per case, in the order sent'),
  succeeded: z.number().int(),
  refused: z.number().int(),
});
export type BulkResult = z.output<typeof bulkResultSchema>;

export const pipelineSchema = z.object({
  stages: z.array(z.object({ stage, label: z.string(), count: z.number().int(), overdue: z.number().int() })),
  total: z.number().int(),
  overdue: z.number().int(),
});
export type PipelineView = z.output<typeof pipelineSchema>;

export const settingsSchema = z.object({
  editorQualified: z.object({ connexion: z.boolean(), dataRetrieval: z.boolean() }),
  updatedAt: isoDateTime,
  updatedBy: z.string().nullable(),
});
export type SettingsView = z.output<typeof settingsSchema>;

const itemStatus = z.enum(ITEM_STATUSES);

export const checklistItemSchema = z.object({
  id: z.enum(QUALIFICATION_ITEM_IDS),
  title: z.string(),
  description: z.string(),
  modes: z.array(z.enum(QUALIFICATION_MODES)),
  checks: z.array(z.enum(['browser', 'protocol', 'manual'])),
  conditional: z.boolean().describe('Whether « sans objet » is an acceptable answer'),
  robotCheckable: z.boolean(),
  status: itemStatus,
  statusLabel: z.string(),
  source: z.enum(['manual', 'robot']),
  evidence: z.object({ text: z.string().nullable(), url: z.string().nullable() }),
  checkedBy: userRef.nullable(),
  checkedAt: isoDateTime.nullable(),
  blocking: z.object({ cause: z.enum(['failed', 'todo', 'not_applicable_not_allowed']), message: z.string() }).nullable(),
});
export type ChecklistItemView = z.output<typeof checklistItemSchema>;

export const checklistSummarySchema = z.object({
  total: z.number().int(),
  counts: z.object({ todo: z.number().int(), passed: z.number().int(), failed: z.number().int(), not_applicable: z.number().int() }),
  bySource: z.object({ manual: z.number().int(), robot: z.number().int() }),
  failed: z.array(z.string()),
  blocking: z.array(z.object({ id: z.string(), cause: z.string(), message: z.string() })),
  readyForQualification: z.boolean(),
});

export const checklistSchema = z.object({
  tenantId: z.string(),
  modes: z.object({ connexion: z.boolean(), dataRetrieval: z.boolean() }),
  items: z.array(checklistItemSchema),
  summary: checklistSummarySchema,
});
export type ChecklistView = z.output<typeof checklistSchema>;
