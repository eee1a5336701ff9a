import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
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

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves each front-end's hashed assets with a long cache (compressed when the build wrote
 * `.br`/`.gz` variants and the browser accepts them) and answers every other GET under its
 * prefix with its `index.html` (client-side routing), never cached.
 */
export function mountFrontends(app: NestExpressApplication, frontends: readonly Frontend[]): void {
  for (const frontend of frontends) {
    const assets = express.static(frontend.dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes(`${join(frontend.dir, 'assets')}`) ? IMMUTABLE : 'no-cache');
      },
    });
    const indexFile = join(frontend.dir, 'index.html');
    const indexHtml = readFileSync(indexFile, 'utf8');
    // The build's files, read once (builds are immutable): a request for anything else (the portal's
    // pages, FranceConnect's routes under /t/{slug}/auth/…) goes on without touching the disk.
    const files = filesOf(frontend.dir);
    app.use(`${frontend.mount}/assets`, precompressedAssets(join(frontend.dir, 'assets')));
    app.use(frontend.mount, (req: Request, res: Response, next: NextFunction) => (files.has(decodedPath(req.path)) ? assets(req, res, next) : next()));
    app.use(frontend.mount, (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // A missing asset (e.g. a chunk of the previous release) is a 404, not the page: the
      // browser would otherwise run HTML as a script.
      if (req.path.startsWith('/assets/')) return next();
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

/** Every file under `dir`, as `/relative/path` (the form of `req.path` below a mount). */
function filesOf(dir: string, prefix = ''): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) for (const file of filesOf(dir, relative)) found.add(file);
    else if (entry.isFile()) found.add(relative);
  }
  return found;
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Build-time variants (tools/build/precompress.ts), in order of preference. */
const VARIANTS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/**
 * Answers `GET {mount}/assets/{file}` with `{file}.br` or `{file}.gz` when the browser accepts
 * that encoding, with the original file's type, `Vary: Accept-Encoding` and the long cache; other
 * requests go on to the plain static files. The list of files is read once: builds are immutable.
 */
function precompressedAssets(assetsDir: string): RequestHandler {
  const files = new Set(existsSync(assetsDir) ? readdirSync(assetsDir) : []);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (!files.has(name)) return next();
    const variants = VARIANTS.filter((variant) => files.has(`${name}${variant.suffix}`));
    if (variants.length === 0) return next();
    res.vary('Accept-Encoding');
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    const chosen = variants.find((variant) => accepted.has(variant.encoding));
    if (!chosen) return next();
    res.type(extname(name));
    res.setHeader('Content-Encoding', chosen.encoding);
    res.setHeader('Cache-Control', IMMUTABLE);
    res.sendFile(join(assetsDir, `${name}${chosen.suffix}`), (error?: NodeJS.ErrnoException) => {
      // Removed since start-up (a build replaced in place): the plain file, or a 404, instead.
      if (error) next(error.code === 'ENOENT' && !res.headersSent ? undefined : error);
    });
  };
}

/** The codings an `Accept-Encoding` header accepts (q > 0); `*` is not honoured (identity is always fine). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!coding) continue;
    const q = params.find((param) => param.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) accepted.add(coding);
  }
  return accepted;
}
