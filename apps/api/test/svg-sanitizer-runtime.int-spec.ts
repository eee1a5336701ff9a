/**
 * The logo's SVG sanitiser (DOMPurify on jsdom, `src/tenants/logo.ts`) on the Node.js that runs
 * this suite, as the API runs it: the built module in a process of its own. `tenants-logo.int-spec.ts`
 * tests the feature through the API in-process, but under Jest on Node 22 jsdom cannot be loaded
 * there (Jest's module system needs Node ≥ 24.9 for jsdom's `require()` of an ES module), so CI's
 * Node 22 pass skips that file; this one keeps the sanitiser proved on Node 22 outside Jest, where
 * the API really runs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '@fcplat/testing';

const HOSTILE = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#000091" onclick="steal()"/><foreignObject><iframe src="https://evil.example"/></foreignObject><image href="https://evil.example/t.png"/></svg>`;

function sanitizeInChild(svg: string): Promise<{ code: number | null; out: string }> {
  const module = pathToFileURL(join(REPO_ROOT, 'apps/api/dist/tenants/logo.js')).href;
  const script = `const { sanitizeSvg } = await import(${JSON.stringify(module)}); process.stdout.write(await sanitizeSvg(process.argv[1]));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, svg], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe(`the SVG sanitiser on this runtime (${process.version}), outside Jest`, () => {
  it('keeps the drawing and drops scripts, handlers, foreign objects and external references', async () => {
    const { code, out } = await sanitizeInChild(HOSTILE);
    expect({ code, svg: /^<\?xml version="1.0" encoding="UTF-8"\?>\s*<svg /.test(out) }).toEqual({ code: 0, svg: true });
    expect(out).toContain('<rect');
    for (const banned of ['<script', 'onload', 'onclick', 'foreignObject', 'iframe', 'evil.example']) expect(out).not.toContain(banned);
  });
});
