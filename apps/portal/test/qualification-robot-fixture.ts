/**
 * Test-only fixture of the qualification robot's suite: an HTTP proxy in front of the API (the
 * API's PUBLIC_URL is the proxy's URL, so redirect URIs and cookies go through it) that breaks,
 * per tenant slug, exactly one prerequisite: a stylesheet or a script injected into the portal's
 * pages, a JSON answer or a redirect of the API rewritten, anti-framing headers removed.
 *
 * The robot appends `?robot=1` to the FranceConnect login links of its login journey (the
 * `loginQuery` of its target; in production the worker's robot pass, a cookie, selects the
 * non-production client instead). The proxy strips it, and rewrites the /authorize redirect only for the
 * OTHER flows: the live client is broken, the login journey's client is not — as on a tenant in
 * production whose login checks run with another environment.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Variant =
  | { readonly kind: 'css'; readonly css: string }
  | { readonly kind: 'script'; readonly js: string }
  | { readonly kind: 'authorize'; readonly rewrite: (url: URL) => void }
  | { readonly kind: 'no-logout-redirect' }
  | { readonly kind: 'no-deletion-redirect' }
  | { readonly kind: 'identity-editable' }
  | { readonly kind: 'signup-broken' }
  | { readonly kind: 'no-frame-headers' }
  | { readonly kind: 'no-failure-logout' };

export interface FixtureProxy {
  readonly url: string;
  /** Breaks the portal of `slug` (one variant per slug). */
  set(slug: string, variant: Variant): void;
  close(): Promise<void>;
}

const FIXTURE_PATH = /^\/__fixture\/([a-z0-9-]+)\.(css|js)$/;

export async function startFixtureProxy(apiPort: number): Promise<FixtureProxy> {
  const variants = new Map<string, Variant>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const fixture = FIXTURE_PATH.exec(url.pathname);
    if (fixture) {
      const variant = variants.get(fixture[1] ?? '');
      const body = fixture[2] === 'css' ? (variant?.kind === 'css' ? variant.css : '') : variant?.kind === 'script' ? variant.js : '';
      res.writeHead(200, { 'content-type': fixture[2] === 'css' ? 'text/css' : 'text/javascript', 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    const slug = /^\/(?:t|api\/portal)\/([a-z0-9-]+)\//.exec(url.pathname)?.[1] ?? '';
    const variant = variants.get(slug);
    const isLogin = /^\/t\/[a-z0-9-]+\/auth\/franceconnect\/login$/.test(url.pathname);
    const robotLogin = isLogin && url.searchParams.has('robot');
    if (robotLogin) url.searchParams.delete('robot');
    if (isLogin && variant?.kind === 'signup-broken' && url.searchParams.get('purpose') === 'signup') {
      res.writeHead(302, { location: `/t/${slug}/?erreur=erreur_technique` });
      res.end();
      return;
    }
    const headers: IncomingHttpHeaders = { ...req.headers, 'accept-encoding': 'identity' };
    const upstream = httpRequest({ host: '127.0.0.1', port: apiPort, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      const outHeaders: IncomingHttpHeaders = { ...answer.headers };
      const type = String(answer.headers['content-type'] ?? '');
      // A stopped flow sent straight home instead of through FranceConnect's logout.
      const isCallback = /^\/t\/[a-z0-9-]+\/auth\/franceconnect\/callback$/.test(url.pathname);
      if (isCallback && variant?.kind === 'no-failure-logout' && typeof outHeaders.location === 'string' && /\/session\/end\b/.test(outHeaders.location)) {
        outHeaders.location = `/t/${slug}/?erreur=state_invalid`;
      }
      // Redirect to /authorize of a live (non-robot) flow.
      if (isLogin && !robotLogin && variant?.kind === 'authorize' && typeof outHeaders.location === 'string' && /client_id=/.test(outHeaders.location)) {
        const location = new URL(outHeaders.location);
        variant.rewrite(location);
        outHeaders.location = location.href;
      }
      const rewriteHtml = type.startsWith('text/html') && url.pathname.startsWith(`/t/${slug}/`) && variant;
      const rewriteJson =
        type.startsWith('application/json') &&
        ((variant?.kind === 'no-logout-redirect' && req.method === 'POST' && url.pathname === `/api/portal/${slug}/logout`) ||
          (variant?.kind === 'no-deletion-redirect' && req.method === 'DELETE' && url.pathname === `/api/portal/${slug}/me`) ||
          (variant?.kind === 'identity-editable' && req.method === 'GET' && url.pathname === `/api/portal/${slug}/me`));
      if (variant?.kind === 'no-frame-headers' && rewriteHtml) {
        delete outHeaders['x-frame-options'];
        delete outHeaders['content-security-policy'];
      }
      if (!rewriteHtml && !rewriteJson) {
        res.writeHead(answer.statusCode ?? 502, outHeaders);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        if (rewriteHtml) {
          body = body.replace('</head>', `<link rel="stylesheet" href="/__fixture/${slug}.css"><script src="/__fixture/${slug}.js" defer></script></head>`);
        } else if (body) {
          const json = JSON.parse(body) as Record<string, unknown>;
          if (variant?.kind === 'identity-editable') {
            const identity = json['identity'];
            if (identity && typeof identity === 'object') (identity as Record<string, unknown>)['source'] = 'local';
          } else if ('redirect' in json) json['redirect'] = null;
          body = JSON.stringify(json);
        }
        delete outHeaders['content-length'];
        delete outHeaders['etag'];
        res.writeHead(answer.statusCode ?? 502, { ...outHeaders, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set: (slug, variant) => void variants.set(slug, variant),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A script run once the portal has rendered (the page is a Vue application: waits for `selector`). */
export function whenRendered(selector: string, body: string): string {
  return `(() => { const run = () => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el || el.dataset.fixture) return; el.dataset.fixture = '1'; ${body} }; new MutationObserver(run).observe(document.documentElement, { childList: true, subtree: true }); run(); })();`;
}
