/** The error answer of every route: an RFC 9457 problem document with a stable `code` (docs/errors.md). */
import { ERROR_CATALOGUE, type ErrorCode } from '@fcplat/common';
import { z } from 'zod';

export const problemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:fcplat:error:NOT_FOUND' }),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]),
    detail: z.string().optional().meta({ description: 'What went wrong, in French, for the user' }),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    violations: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'One per refused field (VALIDATION_FAILED)' }),
  })
  .loose()
  .meta({ description: 'Other members per code: `reasons` of a refused onboarding move (CONFLICT), `retryAfterSeconds` (RATE_LIMITED), `redirect` (portal)' });
export type ProblemView = z.output<typeof problemSchema>;
