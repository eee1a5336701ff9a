import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diskTree, importCycles, importEdges, type SourceTree } from './import-cycles.js';

/**
 * No import cycle between the source files of `apps/` and `libs/` (issue 13): a module that needs
 * something of a module that needs it back gets `undefined` at evaluation time in ESM, depending on
 * which one is loaded first, and two modules knotted together cannot be understood, moved or
 * tested apart. A shared piece goes into a module of its own that both import.
 */
const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

describe('import cycles', () => {
  const tree = diskTree(ROOT);
  const edges = importEdges(tree);

  it('reads the sources of apps and libs, workspace packages included', () => {
    expect(tree.files).toContain('apps/api/src/app.module.ts');
    expect(tree.files).toContain('apps/console/src/pages/client/ApiParticulierSection.tsx');
    expect(edges).toContainEqual({ from: 'apps/console/src/pages/client/ApiParticulierSection.tsx', to: 'apps/console/src/pages/client/ApiParticulierActivity.tsx', typeOnly: false });
    expect(edges).toContainEqual({ from: 'libs/db/src/data-source.ts', to: 'libs/config/src/index.ts', typeOnly: true });
    expect(edges.some((edge) => edge.from.startsWith('apps/worker/') && edge.to === 'libs/db/src/index.ts' && !edge.typeOnly)).toBe(true);
  });

  it('finds none, not even through type-only imports', () => {
    expect(importCycles(edges, { includeTypeOnly: true })).toEqual([]);
  });

  it('reports a cycle, and tells a type-only one apart', () => {
    const files: Record<string, string> = {
      'libs/a/src/index.ts': "export * from './a.js';",
      'libs/a/src/a.ts': "import { b } from '@fcplat/b';\nexport const a = () => b;",
      'libs/b/src/index.ts': "import { a } from '@fcplat/a';\nimport './side-effect.js';\nexport const b = () => a;",
      'libs/b/src/side-effect.ts': "import type { b } from './index.js';\nexport type B = typeof b;",
      'apps/x/src/one.tsx': "import { two } from './two';\nexport const one = () => two;",
      'apps/x/src/two.tsx': "import { type one } from './one';\nexport const two = (f: typeof one) => f;",
      'apps/x/src/lazy.ts': "import { two } from './two';\nexport const lazy = () => import('./lazy-target.js');",
      'apps/x/src/lazy-target.ts': "import { lazy } from './lazy.js';\nexport { lazy };",
    };
    const packages = new Map([
      ['@fcplat/a', { dir: 'libs/a', exports: { '.': { '@fcplat/source': './src/index.ts', default: './dist/index.js' } } }],
      ['@fcplat/b', { dir: 'libs/b', exports: { '.': { '@fcplat/source': './src/index.ts', default: './dist/index.js' } } }],
    ]);
    const memory: SourceTree = { files: Object.keys(files), packages, read: (path) => files[path] ?? '' };
    const found = importEdges(memory);
    expect(importCycles(found, { includeTypeOnly: false })).toEqual([['libs/a/src/a.ts', 'libs/a/src/index.ts', 'libs/b/src/index.ts']]);
    expect(importCycles(found, { includeTypeOnly: true })).toEqual([
      ['apps/x/src/one.tsx', 'apps/x/src/two.tsx'],
      ['libs/a/src/a.ts', 'libs/a/src/index.ts', 'libs/b/src/index.ts', 'libs/b/src/side-effect.ts'],
    ]);
  });
});
