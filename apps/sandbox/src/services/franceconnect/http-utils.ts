import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Reads the request body, refusing more than `limit` bytes (413). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'invalid_request', 'request body too large');
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    received += buffer.length;
    if (received > limit) throw new HttpError(413, 'invalid_request', 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, received);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A body that must be one JSON object (400 otherwise). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_request', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'invalid_request', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Whether a call may use a stand-in's admin API: always when no admin token is set, otherwise
 * only with `Authorization: Bearer <token>` (compared in constant time).
 */
export function adminAuthorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * A form (`application/x-www-form-urlencoded`) or JSON object body as string fields. A repeated
 * field, a non-string JSON value or another media type is refused (400/415).
 */
export async function readFields(req: IncomingMessage, limit: number): Promise<Map<string, string>> {
  const type = mediaType(req);
  const body = await readBody(req, limit);
  const fields = new Map<string, string>();
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
      if (fields.has(name)) throw new HttpError(400, 'invalid_request', `parameter ${name} is repeated`);
      fields.set(name, value);
    }
    return fields;
  }
  if (type === 'application/json') {
    for (const [name, value] of Object.entries(parseJsonObject(body))) {
      if (typeof value !== 'string') throw new HttpError(400, 'invalid_request', `parameter ${name} must be a string`);
      fields.set(name, value);
    }
    return fields;
  }
  throw new HttpError(415, 'invalid_request', 'the body must be application/x-www-form-urlencoded or application/json');
}

/** A JSON body (for the admin API). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'invalid_request', 'the body must be application/json');
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_client_metadata', 'the body is not valid JSON');
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Headers of every HTML page of the provider: no framing, no script, nothing cached. */
export const HTML_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // No form-action: Chromium applies it to the redirects that follow a submission, and the
  // picker's submissions end on the client's redirect_uri.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...HTML_HEADERS, 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/** Adds parameters to a URL's query (a redirect_uri may already carry some). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** Whether the caller prefers JSON (API clients) over an HTML page (browsers). */
export function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
