import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** A built single-page front-end and the URL prefix it is served under. */
export interface Frontend {
  readonly name: 'console' | 'portal';
  /** `/console` or `/t/:slug` (the portal is one build, branded per tenant at run time). */
  readonly mount: string;
  readonly dir: string;
}

/** The portal's `index.html` carries this tag; the API fills in the tenant's path. */
export const PORTAL_BASE_TAG = '<base href="/" data-fcplat-base>';
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const APPS_DIR = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** The front-ends built next to the API (`apps/console/dist`, `apps/portal/dist`), if any. */
export function builtFrontends(appsDir = APPS_DIR): Frontend[] {
  const candidates: Frontend[] = [
    { name: 'console', mount: '/console', dir: join(appsDir, 'console', 'dist') },
    { name: 'portal', mount: '/t/:slug', dir: join(appsDir, 'portal', 'dist') },
  ];
  return candidates.filter((f) => existsSync(join(f.dir, 'index.html')));
}

/**
 * Serves each front-end's hashed assets with a long cache and answers every other GET under
 * its prefix with its `index.html` (client-side routing), never cached.
 */
export function mountFrontends(app: NestExpressApplication, frontends: readonly Frontend[]): void {
  for (const frontend of frontends) {
    const assets = express.static(frontend.dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes(`${join(frontend.dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    const indexFile = join(frontend.dir, 'index.html');
    const indexHtml = readFileSync(indexFile, 'utf8');
    app.use(frontend.mount, assets);
    app.use(frontend.mount, (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // FranceConnect's browser routes (/t/{slug}/auth/franceconnect/...) belong to the API.
      if (frontend.name === 'portal' && req.path.startsWith('/auth/franceconnect/')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      const slug = (req.params as { slug?: string }).slug;
      if (frontend.name !== 'portal' || slug === undefined) return res.sendFile(indexFile);
      // One portal build serves every tenant: its relative asset URLs and its router resolve
      // against `<base href="/t/{slug}/">`, written here into the page.
      if (!SLUG.test(slug)) return next();
      res.type('html').send(indexHtml.replace(PORTAL_BASE_TAG, `<base href="/t/${slug}/" data-fcplat-base>`));
    });
  }
}
