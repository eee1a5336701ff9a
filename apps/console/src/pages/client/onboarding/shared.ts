import { ApiError, type Problem } from '../../../api/client';

export function failure(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
}
