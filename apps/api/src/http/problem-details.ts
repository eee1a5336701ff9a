import type { Response } from 'express';
import { AppError, type ErrorCode } from '@fcplat/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem document, plus our stable `code` and the request id for support. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly violations?: readonly { path: string; message: string }[];
  readonly [extension: string]: unknown;
}

export function problemOf(error: AppError, instance: string | undefined, requestId: string | undefined): ProblemDocument {
  return {
    ...error.extensions,
    type: `urn:fcplat:error:${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(error.violations.length > 0 ? { violations: error.violations } : {}),
  };
}

export function sendProblem(res: Response, problem: ProblemDocument): void {
  if (res.headersSent) return;
  res.status(problem.status).setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  if (problem.code === 'RATE_LIMITED' && typeof problem.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(problem.retryAfterSeconds));
  }
  res.send(JSON.stringify(problem));
}
