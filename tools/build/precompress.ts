import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Front-end assets compressed once at build time (Brotli and gzip, best levels), next to each
 * file: `main-abc.js.br`, `main-abc.js.gz`. The API serves the variant the browser accepts
 * (apps/api/src/http/frontends.ts), so no proxy is needed for compression and nothing is
 * compressed per request (static files carry no secret: no BREACH concern).
 */
export const COMPRESSIBLE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.css', '.svg', '.json', '.txt', '.html'];
/** Below this size the headers cost more than the bytes saved. */
export const MIN_BYTES = 1024;

export interface PrecompressReport {
  /** Files compressed (at least one variant written). */
  readonly files: number;
  readonly originalBytes: number;
  readonly brotliBytes: number;
  readonly gzipBytes: number;
}

/** Writes `.br` and `.gz` beside every compressible file of `dir` (recursively) when they are smaller. */
export function precompressDirectory(dir: string, minBytes = MIN_BYTES): PrecompressReport {
  let files = 0;
  let originalBytes = 0;
  let brotliBytes = 0;
  let gzipBytes = 0;
  for (const path of walk(dir)) {
    if (!COMPRESSIBLE_EXTENSIONS.includes(extname(path))) continue;
    const content = readFileSync(path);
    if (content.length < minBytes) continue;
    const brotli = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    const gzip = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
    let written = false;
    if (brotli.length < content.length) {
      writeFileSync(`${path}.br`, brotli);
      written = true;
    }
    if (gzip.length < content.length) {
      writeFileSync(`${path}.gz`, gzip);
      written = true;
    }
    if (!written) continue;
    files++;
    originalBytes += content.length;
    brotliBytes += Math.min(brotli.length, content.length);
    gzipBytes += Math.min(gzip.length, content.length);
  }
  return { files, originalBytes, brotliBytes, gzipBytes };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** Vite plugin: precompresses the build's `assets/` folder once the bundle is written. */
export function precompressAssets(): Plugin {
  let assetsDir = '';
  return {
    name: 'fcplat-precompress-assets',
    apply: 'build',
    configResolved(config) {
      assetsDir = resolve(config.root, config.build.outDir, config.build.assetsDir);
    },
    closeBundle() {
      const report = precompressDirectory(assetsDir);
      const kB = (bytes: number): string => (bytes / 1024).toFixed(1);
      this.info(`precompressed ${report.files} assets: ${kB(report.originalBytes)} kB → brotli ${kB(report.brotliBytes)} kB, gzip ${kB(report.gzipBytes)} kB`);
    },
  };
}
