/** The qualification robot's runs of a tenant (staff only) and the qualification dossier. */
import { z } from 'zod';
import { FRANCECONNECT_ENVIRONMENTS, ITEM_STATUSES, QUALIFICATION_ITEM_IDS, ROBOT_RUN_STATUSES, ROBOT_RUN_TRIGGERS, ROBOT_VERDICTS } from '@fcplat/domain';
import { isoDateTime } from './text.js';
const environment = z.enum(FRANCECONNECT_ENVIRONMENTS);

export const robotScreenshotRefSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** Staff-only URL of the PNG. */
  url: z.string(),
});

export const robotItemSchema = z.object({
  id: z.enum(QUALIFICATION_ITEM_IDS),
  title: z.string(),
  verdict: z.enum(ROBOT_VERDICTS),
  verdictLabel: z.string(),
  summary: z.string(),
  findings: z.array(z.string()),
  evidence: z.record(z.string(), z.unknown()).describe('What was measured (sizes, colours, request parameters with secrets removed)'),
  environment: environment.nullable().describe('The FranceConnect environment this item was proven against (null: no FranceConnect round trip)'),
  screenshots: z.array(robotScreenshotRefSchema),
  previousVerdict: z.enum(ROBOT_VERDICTS).nullable().describe('Verdict of the previous completed run, null if none'),
  changed: z.boolean().describe('The verdict differs from the previous completed run'),
  person: z
    .object({ status: z.enum(ITEM_STATUSES), disagrees: z.boolean() })
    .nullable()
    .describe('A person’s verdict on the checklist, never overwritten by the robot; `disagrees` when it contradicts the robot'),
});

export type RobotItemView = z.output<typeof robotItemSchema>;

export const robotRunSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  trigger: z.enum(ROBOT_RUN_TRIGGERS),
  triggerLabel: z.string(),
  reason: z.string().nullable(),
  requestedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  status: z.enum(ROBOT_RUN_STATUSES),
  statusLabel: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int(), label: z.string().nullable() }),
  portalUrl: z.string().nullable(),
  liveEnvironment: environment.nullable(),
  loginEnvironment: environment.nullable().describe('Non-production environment the login checks used'),
  counts: z.object({ passed: z.number().int(), failed: z.number().int(), not_verifiable: z.number().int(), not_applicable: z.number().int() }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  requestedAt: isoDateTime,
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  durationMs: z.number().int().nullable(),
});
export type RobotRunView = z.output<typeof robotRunSchema>;

export const robotRunDetailSchema = robotRunSchema.extend({
  items: z.array(robotItemSchema),
  previousRunId: z.string().nullable(),
});
export type RobotRunDetailView = z.output<typeof robotRunDetailSchema>;

export const robotOverviewSchema = z.object({
  tenantId: z.string(),
  /** The run waiting or under way, if any (progress). */
  pending: robotRunSchema.nullable(),
  /** The last completed run with each item's verdict, evidence, change since the run before and the checklist's person verdict. */
  lastCompleted: robotRunDetailSchema.nullable(),
  /** The last run that failed to complete after the last completed one, if any. */
  lastFailure: robotRunSchema.nullable(),
  /** Failing items that hold the qualification request back. */
  blocking: z.array(z.string()),
});
export type RobotOverviewView = z.output<typeof robotOverviewSchema>;

export const robotRunListSchema = z.object({ items: z.array(robotRunSchema) });
