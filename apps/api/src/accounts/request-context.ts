import type { Request } from 'express';
import type { RequestContext } from './login.service.js';

/** What the login and link services need of a request: client IP (behind `trust proxy`), user agent, request id, headers. */
export function requestContext(req: Request, requestId: string | null): RequestContext {
  return {
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: req.headers['user-agent'],
    requestId,
    headers: req.headers,
  };
}
