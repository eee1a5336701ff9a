import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '@fcplat/common';
import { FORM_POST_PATH } from './csrf.js';
import { problemOf, sendProblem } from './problem-details.js';

export interface RawBodyRequest extends Request {
  /** The exact bytes received, kept for signature checks (DataPass webhooks, SR-27). */
  rawBody?: Buffer;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies only, bounded in size (413 beyond), strict (objects and arrays), with the raw
 * bytes kept for HMAC checks. A body of another type gets 415 instead of being ignored.
 */
/** The routes that take a file: an API Particulier batch (CSV), up to 5 MB, and a portal logo (below). */
export const CSV_UPLOAD_PATH = /^\/api\/tenants\/[^/]+\/api-particulier\/batches\/?$/;
export const CSV_UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The portal logo upload: the image itself, whatever its declared type (the API tells PNG from SVG
 * by the bytes, apps/api/src/tenants/logo.ts), read up to 1 MiB so that a logo over the 200 KiB
 * limit gets the limit's own message rather than the parser's.
 */
export const LOGO_UPLOAD_PATH = /^\/api\/tenants\/[^/]+\/branding\/logo\/?$/;
export const LOGO_UPLOAD_READ_LIMIT_BYTES = 1024 * 1024;

const isLogoUpload = (req: Request): boolean => req.method === 'PUT' && LOGO_UPLOAD_PATH.test(req.path);

export function bodyMiddlewares(limitBytes: number) {
  const csv = express.raw({ type: ['text/csv', 'application/csv'], limit: CSV_UPLOAD_LIMIT_BYTES });
  const logo = express.raw({ type: () => true, limit: LOGO_UPLOAD_READ_LIMIT_BYTES });
  const csvUpload = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'POST' && CSV_UPLOAD_PATH.test(req.path) && req.is(['text/csv', 'application/csv'])) {
      csv(req, res, next);
      return;
    }
    if (isLogoUpload(req)) {
      logo(req, res, next);
      return;
    }
    next();
  };
  const json = express.json({
    limit: limitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buffer) => {
      (req as RawBodyRequest).rawBody = buffer;
    },
  });
  const requireJson = (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const isCsvUpload = req.method === 'POST' && CSV_UPLOAD_PATH.test(req.path) && req.is(['text/csv', 'application/csv']);
    // The FranceConnect logout form of a portal: its body was parsed (and checked) by the CSRF protection.
    const isLogoutForm = req.method === 'POST' && FORM_POST_PATH.test(req.path) && req.is('application/x-www-form-urlencoded');
    if (BODY_METHODS.has(req.method) && hasBody && !isCsvUpload && !isLogoUpload(req) && !isLogoutForm && !req.is(['application/json', 'application/*+json'])) {
      next(new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Le corps de la requête doit être du JSON (Content-Type: application/json).' }));
      return;
    }
    next();
  };
  return [requireJson, csvUpload, json];
}

export type RefusedBodyLogger = (fields: Record<string, unknown>) => void;

/**
 * Turns body-parser failures into problem documents (they happen before Nest's router and its
 * request logger, so the refusal is logged here).
 */
export const bodyErrorHandler = (log: RefusedBodyLogger) => (error: unknown, req: Request & { id?: string }, res: Response, next: NextFunction): void => {
  const type = (error as { type?: string } | null)?.type;
  let appError: AppError | undefined;
  if (error instanceof AppError) appError = error;
  else if (type === 'entity.too.large') appError = new AppError('PAYLOAD_TOO_LARGE', { detail: 'Le corps de la requête dépasse la taille autorisée.' });
  else if (type === 'entity.parse.failed') appError = new AppError('MALFORMED_BODY', { detail: 'Le corps de la requête n’est pas un JSON valide.' });
  else if (type === 'encoding.unsupported' || type === 'charset.unsupported') appError = new AppError('UNSUPPORTED_MEDIA_TYPE');
  else if (type === 'request.aborted' || type === 'request.size.invalid') appError = new AppError('MALFORMED_BODY');
  if (!appError) {
    next(error);
    return;
  }
  const path = req.originalUrl.split('?')[0];
  log({ msg: 'request refused', requestId: req.id, method: req.method, path, statusCode: appError.status, code: appError.code });
  sendProblem(res, problemOf(appError, path, req.id));
};
