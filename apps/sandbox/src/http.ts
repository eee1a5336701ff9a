import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** A sandbox service: a name shown to people, and its request handler. */
export interface SandboxService {
  readonly id: SandboxServiceId;
  readonly label: string;
  readonly handler: Handler;
}

export const SANDBOX_SERVICE_IDS = ['franceconnect', 'api-particulier', 'recherche-entreprises', 'mail'] as const;
export type SandboxServiceId = (typeof SANDBOX_SERVICE_IDS)[number];

/**
 * The common routes of every stand-in: `GET /health` and `GET /` (what it imitates). Other
 * routes answer 404 in the upstream's own error style until the service implements them.
 */
export function baseHandler(service: Omit<SandboxService, 'handler'>, routes: Handler | undefined, imitates: string): Handler {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok', service: service.id });
    if (req.method === 'GET' && path === '/') return sendJson(res, 200, { service: service.id, label: service.label, imitates });
    if (routes) {
      await routes(req, res);
      if (res.writableEnded || res.headersSent) return;
    }
    sendJson(res, 404, { error: 'not_found', error_description: `No route ${req.method} ${path} in the ${service.label} sandbox` });
  };
}
