import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http.js';
import { isValidClientId, parseClientRegistration, publicView, type ClientRegistry } from './clients.js';
import { adminAuthorized, HttpError, readJson } from './http-utils.js';

const ADMIN_PATH = /^\/admin\/clients(?:\/([^/]+))?$/;
const BODY_LIMIT = 64 * 1024;

interface AdminContext {
  readonly registry: ClientRegistry;
  /** When set, every admin call needs `Authorization: Bearer <token>`. */
  readonly adminToken: string | undefined;
  /** The issuer the caller sees (returned with a new client). */
  readonly issuerOf: (req: IncomingMessage) => string | undefined;
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: 'invalid_request', error_description: `allowed methods: ${allow}` }, { Allow: allow });
}

/**
 * Sandbox-only client registration (FranceConnect itself registers service providers through its
 * partner portal): `POST /admin/clients`, `GET|PUT|DELETE /admin/clients/:id`. Returns false when
 * the path is not an admin route.
 */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, context: AdminContext): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const match = ADMIN_PATH.exec(path);
  if (!match) return false;
  if (!adminAuthorized(req, context.adminToken)) {
    sendJson(res, 401, { error: 'invalid_token', error_description: 'admin token required' }, { 'WWW-Authenticate': 'Bearer realm="franceconnect-sandbox-admin"' });
    return true;
  }
  const { registry } = context;
  const rawId = match[1];

  if (rawId === undefined) {
    if (req.method !== 'POST') {
      methodNotAllowed(res, 'POST');
      return true;
    }
    const parsed = parseClientRegistration(await readJson(req, BODY_LIMIT));
    if (!parsed.ok) throw new HttpError(400, parsed.error, parsed.description);
    const client = registry.register(parsed.value);
    sendJson(res, 201, publicView(client, { withSecret: true, issuer: context.issuerOf(req) }), { 'Cache-Control': 'no-store' });
    return true;
  }

  let clientId: string;
  try {
    clientId = decodeURIComponent(rawId);
  } catch {
    throw new HttpError(404, 'not_found', 'unknown client');
  }
  switch (req.method) {
    case 'GET': {
      const client = registry.get(clientId);
      if (!client) throw new HttpError(404, 'not_found', 'unknown client');
      sendJson(res, 200, publicView(client, { withSecret: false, issuer: context.issuerOf(req) }));
      return true;
    }
    case 'PUT': {
      if (!isValidClientId(clientId)) throw new HttpError(400, 'invalid_client_metadata', 'client_id must be 8 to 128 characters among A-Z a-z 0-9 . _ ~ -');
      const parsed = parseClientRegistration(await readJson(req, BODY_LIMIT), { withSecret: true });
      if (!parsed.ok) throw new HttpError(400, parsed.error, parsed.description);
      const { client_secret: secret, ...registration } = parsed.value;
      const { client, created } = registry.put(clientId, secret ?? '', registration);
      sendJson(res, created ? 201 : 200, publicView(client, { withSecret: true, issuer: context.issuerOf(req) }), { 'Cache-Control': 'no-store' });
      return true;
    }
    case 'DELETE': {
      if (!registry.delete(clientId)) throw new HttpError(404, 'not_found', 'unknown client');
      res.writeHead(204, { 'Content-Length': 0 });
      res.end();
      return true;
    }
    default:
      methodNotAllowed(res, 'GET, PUT, DELETE');
      return true;
  }
}
