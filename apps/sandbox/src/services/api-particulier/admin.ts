/**
 * The sandbox-only administration of the API Particulier stand-in (the real API has none of it):
 * tokens, fault injection, limits and the request journal. Protected like the FranceConnect
 * stand-in's admin API: when an admin token is set, every call needs `Authorization: Bearer
 * <admin token>`; open otherwise. Errors: `{ error, error_description }` (400, 401, 404, 405, 413, 415).
 *
 * - `POST /admin/tokens` `{ subject, scopes?, expiresInSeconds? }` → 201 `{ token, jti, expiresAt }`
 * - `POST /admin/tokens/revoke` `{ jti }` → 200 `{ jti, revoked: true }`
 * - `GET|POST|DELETE /admin/faults` (see faults.ts) → 200 `{ faults }` | 201 fault | 204
 * - `GET|POST /admin/limits` `{ perTokenPerSecond?, perIpPerMinute? }` → 200 the limits (windows reset)
 * - `GET /admin/journal?since=<epoch ms>` → 200 `{ entries }`; `DELETE /admin/journal` → 204
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http.js';
import { adminAuthorized, HttpError, mediaType, parseJsonObject, readBody } from '../franceconnect/http-utils.js';
import { FaultSpecError, parseFaultSpec, type FaultInjector } from './faults.js';
import type { RequestJournal } from './journal.js';
import type { Limits, RateLimiter } from './rate-limits.js';
import { mintSandboxApiParticulierToken, TokenOptionsError } from './tokens.js';

const BODY_LIMIT = 16 * 1024;
const JTI = /^[A-Za-z0-9._~-]{1,128}$/;

export interface AdminContext {
  readonly adminToken: string | undefined;
  readonly faults: FaultInjector;
  readonly limiter: RateLimiter;
  readonly journal: RequestJournal;
  readonly revoke: (jti: string) => void;
  readonly clock: () => number;
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'invalid_request', 'the body must be application/json');
  return parseJsonObject(await readBody(req, BODY_LIMIT));
}

function refuseUnknown(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new HttpError(400, 'invalid_request', `unknown field(s): ${unknown.join(', ')}`);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: 'invalid_request', error_description: `allowed methods: ${allow}` }, { Allow: allow });
}

function noContent(res: ServerResponse): void {
  res.writeHead(204, { 'Content-Length': 0 });
  res.end();
}

async function mintToken(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<void> {
  const body = await readJsonObject(req);
  refuseUnknown(body, ['subject', 'scopes', 'expiresInSeconds']);
  const { subject, scopes, expiresInSeconds } = body;
  if (typeof subject !== 'string') throw new HttpError(400, 'invalid_request', 'subject is required (a string)');
  if (scopes !== undefined && !Array.isArray(scopes)) throw new HttpError(400, 'invalid_request', 'scopes must be an array of strings');
  if (expiresInSeconds !== undefined && expiresInSeconds !== null && typeof expiresInSeconds !== 'number') {
    throw new HttpError(400, 'invalid_request', 'expiresInSeconds must be a number of seconds, or null');
  }
  try {
    const minted = await mintSandboxApiParticulierToken({
      subject,
      ...(scopes === undefined ? {} : { scopes: scopes as string[] }),
      ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
      now: context.clock(),
    });
    sendJson(res, 201, minted, { 'Cache-Control': 'no-store' });
  } catch (error) {
    if (error instanceof TokenOptionsError) throw new HttpError(400, 'invalid_request', error.message);
    throw error;
  }
}

async function revokeToken(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<void> {
  const body = await readJsonObject(req);
  refuseUnknown(body, ['jti']);
  const { jti } = body;
  if (typeof jti !== 'string' || !JTI.test(jti)) throw new HttpError(400, 'invalid_request', 'jti is required (the token’s jti claim)');
  context.revoke(jti);
  sendJson(res, 200, { jti, revoked: true });
}

async function faults(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<void> {
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, { faults: context.faults.list() });
      return;
    case 'POST': {
      const body = await readJsonObject(req);
      try {
        sendJson(res, 201, context.faults.add(parseFaultSpec(body)));
      } catch (error) {
        if (error instanceof FaultSpecError) throw new HttpError(400, 'invalid_request', error.message);
        throw error;
      }
      return;
    }
    case 'DELETE':
      context.faults.clear();
      noContent(res);
      return;
    default:
      methodNotAllowed(res, 'GET, POST, DELETE');
  }
}

async function limits(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<void> {
  if (req.method === 'GET') {
    sendJson(res, 200, context.limiter.limits);
    return;
  }
  if (req.method !== 'POST') {
    methodNotAllowed(res, 'GET, POST');
    return;
  }
  const body = await readJsonObject(req);
  refuseUnknown(body, ['perTokenPerSecond', 'perIpPerMinute']);
  const next: Limits = { ...context.limiter.limits, ...(body as Partial<Limits>) };
  try {
    context.limiter.set(next);
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(400, 'invalid_request', error.message);
    throw error;
  }
  sendJson(res, 200, context.limiter.limits);
}

function journal(req: IncomingMessage, res: ServerResponse, context: AdminContext, query: URLSearchParams): void {
  if (req.method === 'DELETE') {
    context.journal.clear();
    noContent(res);
    return;
  }
  if (req.method !== 'GET') {
    methodNotAllowed(res, 'GET, DELETE');
    return;
  }
  const raw = query.get('since');
  let since: number | undefined;
  if (raw !== null) {
    since = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(since)) throw new HttpError(400, 'invalid_request', 'since must be a time in epoch milliseconds');
  }
  sendJson(res, 200, { entries: context.journal.entries(since) });
}

/** Answers `/admin/*`; false for any other path. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname;
  if (path !== '/admin' && !path.startsWith('/admin/')) return false;
  try {
    if (!adminAuthorized(req, context.adminToken)) {
      sendJson(res, 401, { error: 'invalid_token', error_description: 'admin token required' }, { 'WWW-Authenticate': 'Bearer realm="api-particulier-sandbox-admin"' });
      return true;
    }
    switch (path) {
      case '/admin/tokens':
        if (req.method === 'POST') await mintToken(req, res, context);
        else methodNotAllowed(res, 'POST');
        return true;
      case '/admin/tokens/revoke':
        if (req.method === 'POST') await revokeToken(req, res, context);
        else methodNotAllowed(res, 'POST');
        return true;
      case '/admin/faults':
        await faults(req, res, context);
        return true;
      case '/admin/limits':
        await limits(req, res, context);
        return true;
      case '/admin/journal':
        journal(req, res, context, url.searchParams);
        return true;
      default:
        throw new HttpError(404, 'not_found', `no admin route ${path}`);
    }
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (res.headersSent) res.destroy();
    else sendJson(res, error.status, { error: error.error, error_description: error.description });
    return true;
  }
}
