/**
 * The front-ends reach the API only through the contract: no API path is written in their
 * sources (the paths are the contract's, `@fcplat/contract/routes`), no file of theirs calls
 * `fetch`, and only their one client (apps/console/src/api/client.ts, apps/portal/src/api.ts),
 * which takes a route name of the contract, sends through the contract's `sendToApi`
 * (`@fcplat/contract/client`, the one `fetch` of both). Whether each route exists with these shapes is the API's test
 * (apps/api/test/contract.int-spec.ts); whether the front-ends use the shapes right is the
 * type-check's (contract-type-check.spec.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './type-check.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Links to pages of the API that are not calls (none since the queue dashboard became a console page). */
const PAGES = new Set<string>([]);

describe.each([
  ['console', 'apps/console/src', 'apps/console/src/api/client.ts'],
  ['portal', 'apps/portal/src', 'apps/portal/src/api.ts'],
])('the %s calls the API only through the contract', (_app, dir, client) => {
  const files = sourceFiles(join(ROOT, dir));

  it('writes no API path of its own', () => {
    const offenders = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/['"`](\/api\/[^'"`]*)['"`]/g)].filter((m) => !PAGES.has(m[1] ?? '')).map((m) => `${relative(ROOT, file)}: ${m[1]}`),
    );
    expect(files.length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });

  it('sends through the contract’s client from its own client only, which imports the contract’s route table', () => {
    const fetching = files.filter((file) => /\bfetch\(/.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    const sending = files.filter((file) => /\bsendToApi\(/.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    expect({ fetching, sending }).toEqual({ fetching: [], sending: [client] });
    const source = readFileSync(join(ROOT, client), 'utf8');
    expect(source).toMatch(/from '@fcplat\/contract\/routes'/);
    expect(source).toMatch(/from '@fcplat\/contract\/client'/);
    // The contract's client is the one place that calls fetch().
    expect(readFileSync(join(ROOT, 'libs/contract/src/client.ts'), 'utf8')).toMatch(/\bfetch\(/);
  });
});
