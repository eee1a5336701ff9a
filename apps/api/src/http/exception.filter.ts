import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { AppError, isAppError, type ErrorCode } from '@fcplat/common';
import { problemOf, sendProblem } from './problem-details.js';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_UNAVAILABLE',
};

/**
 * The single place where errors become HTTP responses: every error leaves as
 * `application/problem+json` with a stable code. Unexpected errors are logged with their stack
 * and answered with a generic 500 that reveals nothing of the internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('ProblemDetailsFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const error = this.toAppError(exception, req);
    if (error.status >= 500) {
      this.logger.error({ err: exception, code: error.code }, 'request failed');
    }
    sendProblem(res, problemOf(error, req.originalUrl?.split('?')[0], req.id));
  }

  private toAppError(exception: unknown, req: Request): AppError {
    if (isAppError(exception)) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(exception.message)) {
        return new AppError('ROUTE_NOT_FOUND', { detail: `Aucune ressource à l’adresse ${req.method} ${req.path}` });
      }
      const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
      return new AppError(code, status >= 500 ? {} : { detail: messageOf(exception) });
    }
    return new AppError('INTERNAL_ERROR');
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'object' && response && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join(' ; ');
    if (typeof message === 'string') return message;
  }
  return exception.message;
}
