/** Pipeline analytics for staff (`GET /api/onboarding/analytics`); the rules are in `@fcplat/domain` (onboarding-analytics.ts). */
import { ONBOARDING_STAGES } from '@fcplat/domain';
import { z } from 'zod';
import { calendarDate } from './text.js';

const stage = z.enum(ONBOARDING_STAGES);
const workingDays = z.number().nullable().describe('Working days, one decimal; null when no stay ended in the window');

const deadlinesSchema = z.object({
  met: z.number().int(),
  missed: z.number().int(),
  share: z.number().min(0).max(1).nullable().describe('met / (met + missed); null when no deadline was settled in the window'),
});

const durationsSchema = z.object({
  stays: z.number().int().describe('Stays at a stage that ended in the window'),
  medianWorkingDays: workingDays,
  p90WorkingDays: workingDays,
  deadlines: deadlinesSchema,
});

export const pipelineAnalyticsSchema = z.object({
  window: z.object({ days: z.number().int(), from: calendarDate, to: calendarDate }).describe('Paris dates, both included'),
  funnel: z.array(
    z.object({
      stage,
      label: z.string(),
      current: z.number().int(),
      passed: z.number().int().nullable().describe('Cases whose current stage is later on the main path; null for the changes_requested detour'),
    }),
  ),
  stages: z.array(z.object({ stage, label: z.string(), slaWorkingDays: z.number().int().nullable(), ...durationsSchema.shape })),
  overall: z.object({ activeCases: z.number().int(), overdueCases: z.number().int(), ...durationsSchema.shape }),
  assignees: z.array(
    z.object({
      assignee: z.object({ id: z.string(), displayName: z.string() }).nullable().describe('null: cases without an assignee'),
      activeCases: z.number().int(),
      overdueCases: z.number().int(),
      ...durationsSchema.shape,
    }),
  ),
});
export type PipelineAnalytics = z.output<typeof pipelineAnalyticsSchema>;
