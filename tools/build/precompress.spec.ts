import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDirectory } from './precompress.js';

describe('build-time compression of front-end assets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fcplat-precompress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes Brotli and gzip variants of compressible files, in sub-folders too, and skips the rest', () => {
    const script = 'const a = "bonjour";\n'.repeat(200);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'app.js'), script);
    writeFileSync(join(dir, 'nested', 'theme.css'), '.a { color: red; }\n'.repeat(100));
    writeFileSync(join(dir, 'tiny.js'), 'export {};');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 7));
    const report = precompressDirectory(dir);
    expect(report.files).toBe(2);
    expect(report.brotliBytes).toBeLessThan(report.gzipBytes);
    expect(report.gzipBytes).toBeLessThan(report.originalBytes / 5);
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'app.js.br', 'app.js.gz', 'logo.png', 'nested', 'tiny.js']);
    expect(readdirSync(join(dir, 'nested')).sort()).toEqual(['theme.css', 'theme.css.br', 'theme.css.gz']);
    expect(brotliDecompressSync(readFileSync(join(dir, 'app.js.br'))).toString()).toBe(script);
    expect(gunzipSync(readFileSync(join(dir, 'app.js.gz'))).toString()).toBe(script);
  });

  it('keeps no variant that would be larger than the file', () => {
    const noise = join(dir, 'noise');
    mkdirSync(noise);
    // Random bytes do not compress.
    writeFileSync(join(noise, 'random.txt'), Buffer.from(Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256))));
    expect(precompressDirectory(noise).files).toBe(0);
    expect(readdirSync(noise)).toEqual(['random.txt']);
  });
});
