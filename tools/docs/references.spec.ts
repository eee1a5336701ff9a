/**
 * The repository explains itself (issue 13): every requirement id cited in the sources has an
 * entry in docs/requirements.md, every reference to a documentation file (markdown link or plain
 * `docs/….md#anchor` / `docs/….md §n.m` in a comment) lands on an existing file and heading, and
 * nothing points outside the repository.
 *
 * The first block runs the checker on the real tree. The second feeds it deliberately broken files
 * to prove that each check can fail. Those broken inputs are assembled from pieces (`'S' + 'R-99'`)
 * so that this file's own text does not cite them: the walk reads this file too.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUALIFICATION_ITEM_IDS } from '@fcplat/domain';
import {
  anchorsOf,
  catalogueEntries,
  checkReferences,
  diskRepository,
  formatProblems,
  listSourceFiles,
  memoryRepository,
  REQUIREMENT_ID,
  sectionNumbersOf,
  slugOf,
  type CheckOptions,
  type DeliberateUnknownId,
  type SourceFile,
} from './references.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const CATALOGUE = 'docs/requirements.md';

/**
 * Ids that are cited on purpose without being requirements: tests that an unknown id is refused.
 * (Written `'FC-' + '23'` so that this file does not cite them itself.)
 */
const DELIBERATE_UNKNOWN_IDS: readonly DeliberateUnknownId[] = [
  { file: 'apps/api/test/onboarding-checklist.int-spec.ts', id: 'FC-' + '23', reason: 'the checklist route answers 404 to an unknown item' },
  { file: 'apps/api/test/onboarding-checklist.int-spec.ts', id: 'FC-' + '00', reason: 'the checklist route answers 404 to an unknown item' },
  { file: 'apps/api/test/onboarding-checklist.int-spec.ts', id: 'FC-' + '99', reason: 'the robot cannot record a result for an unknown item' },
  { file: 'libs/domain/src/qualification.spec.ts', id: 'FC-' + '23', reason: 'the domain refuses an id past the last prerequisite' },
];

/**
 * The case folders of API Particulier's staging data are verbatim upstream copies (their READMEs
 * link to upstream folders that were not copied); they are replaced, never edited. The folder's
 * own README, ours, is checked.
 */
const vendored = (path: string): boolean => /^apps\/sandbox\/data\/api-particulier\/[^/]+\//.test(path);

const OPTIONS: CheckOptions = { catalogue: CATALOGUE, deliberateUnknownIds: DELIBERATE_UNKNOWN_IDS, vendored };

describe('the repository explains itself', () => {
  const files = listSourceFiles(ROOT);
  const repository = diskRepository(ROOT);

  it('walks the sources, the docs, the README and CONTRIBUTING', () => {
    const paths = files.map((file) => file.path);
    for (const expected of ['README.md', 'CONTRIBUTING.md', CATALOGUE, 'docs/domain.md', 'libs/domain/src/qualification.ts', 'apps/portal/src/components/FranceConnect.tsx', 'tools/docs/references.spec.ts']) {
      expect(paths).toContain(expected);
    }
    expect(paths.some((path) => path.includes('/node_modules/') || path.includes('/dist/'))).toBe(false);
    expect(paths.filter(vendored).length).toBeGreaterThan(0);
    expect(vendored('apps/sandbox/data/api-particulier/README.md')).toBe(false);
    expect(files.length).toBeGreaterThan(500);
  });

  it('has no cited requirement without an entry, no broken documentation reference, nothing outside the repository', () => {
    const problems = checkReferences(files, repository, OPTIONS);
    if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n${formatProblems(problems)}`);
  });

  it('finds the citations it checks (a pattern that matched nothing would pass vacuously)', () => {
    const cited = new Set(files.flatMap((file) => file.text.match(REQUIREMENT_ID) ?? []));
    expect(cited.size).toBeGreaterThanOrEqual(48);
    const docReferences = files.filter((file) => /(?<![\w/.@-])docs\/[\w./-]+\.md/.test(file.text));
    expect(docReferences.length).toBeGreaterThan(20);
  });

  it('catalogues every qualification prerequisite of the domain, and nothing beyond FC-22', () => {
    const entries = catalogueEntries(repository.read(CATALOGUE) ?? '');
    const fc = [...entries].filter((id) => id.startsWith('FC-')).sort();
    expect(fc).toEqual([...QUALIFICATION_ITEM_IDS]);
  });

  it('names, for every entry, test files that exist', () => {
    const catalogue = repository.read(CATALOGUE) ?? '';
    const blocks = catalogue.split(/^### /m).slice(1);
    expect(blocks.length).toBe(catalogueEntries(catalogue).size);
    for (const block of blocks) {
      const id = block.split('\n', 1)[0] as string;
      const start = block.indexOf('**Tested in**');
      const tested = start < 0 ? '' : (block.slice(start).split('\n\n', 1)[0] as string);
      const paths = [...tested.matchAll(/`((?:apps|libs|tools)\/[^`]+?\.(?:int-)?spec\.ts)`/g)].map((m) => m[1] as string);
      expect({ id, hasTests: paths.length > 0 }).toEqual({ id, hasTests: true });
      for (const path of paths) expect({ id, path, exists: repository.exists(path) }).toEqual({ id, path, exists: true });
    }
  });
});

describe('the checker fails on broken input', () => {
  // Pieces put together at run time, so that this file does not cite them itself.
  const unknownSr = 'S' + 'R-99';
  const unknownFc = 'F' + 'C-42';
  const docs = 'docs';
  const outside = '..' + '/shared';

  const catalogue: SourceFile = {
    path: CATALOGUE,
    text: ['# Requirements', '', '## Security', '', '### SR-01', '', 'Text.', '', '### FC-01', '', 'Text.'].join('\n'),
  };
  const domain: SourceFile = {
    path: 'docs/domain.md',
    text: ['# Domain', '', '## 1. FranceConnect', '', '### 1.5 Scopes and claims', '', '## 2. API Particulier', '', '### 2.6 Errors, status codes and limits'].join('\n'),
  };
  const options: CheckOptions = { catalogue: CATALOGUE, deliberateUnknownIds: [] };
  const check = (...files: SourceFile[]) => checkReferences(files, memoryRepository([catalogue, domain, ...files]), options);

  it('accepts a healthy file', () => {
    const healthy: SourceFile = {
      path: 'libs/x/src/ok.ts',
      text: `/** SR-01, FC-01: see ${docs}/domain.md#15-scopes-and-claims and ${docs}/domain.md §1.5, §2.6. */`,
    };
    expect(check(healthy)).toEqual([]);
  });

  it('reports a cited id without an entry', () => {
    const file: SourceFile = { path: 'libs/x/src/a.ts', text: `// ok SR-01\n// checks ${unknownSr} and ${unknownFc}\n` };
    expect(check(file)).toEqual([
      expect.objectContaining({ kind: 'requirement-without-entry', file: 'libs/x/src/a.ts', line: 2, message: expect.stringContaining(unknownSr) }),
      expect.objectContaining({ kind: 'requirement-without-entry', file: 'libs/x/src/a.ts', line: 2, message: expect.stringContaining(unknownFc) }),
    ]);
  });

  it('reports a comment pointing at a missing file, a missing anchor or a missing section', () => {
    const file: SourceFile = {
      path: 'libs/x/src/b.ts',
      text: [`// see ${docs}/nope.md#x`, `// see ${docs}/domain.md#no-such-heading`, `// see ${docs}/domain.md §9.9`].join('\n'),
    };
    expect(check(file)).toEqual([
      expect.objectContaining({ kind: 'missing-file', line: 1, message: `${docs}/nope.md does not exist` }),
      expect.objectContaining({ kind: 'missing-anchor', line: 2, message: expect.stringContaining('#no-such-heading') }),
      expect.objectContaining({ kind: 'missing-section', line: 3, message: expect.stringContaining('§9.9') }),
    ]);
  });

  it('reports a bare file name with § sections that does not resolve from the citing file', () => {
    const name = 'domain' + '.md';
    const code: SourceFile = { path: 'libs/x/src/c.ts', text: `// the claims (${name} §1.5)` };
    const doc: SourceFile = { path: `${docs}/other.md`, text: `# Other\nSee ${name} §1.5 and ${name} §3.1.` };
    expect(check(code, doc).map((p) => [p.kind, p.file, p.message])).toEqual([
      ['missing-file', 'libs/x/src/c.ts', expect.stringContaining('libs/x/src/domain.md from this file')],
      ['missing-section', `${docs}/other.md`, expect.stringContaining('§3.1')],
    ]);
  });

  it('reports broken markdown links, relative ones resolved from the file’s folder', () => {
    const file: SourceFile = {
      path: `${docs}/guide.md`,
      text: [
        '# Guide',
        '[ok](domain.md#15-scopes-and-claims) [ok too](#guide) [web](https://example.org/x.md)',
        `[gone](nope.md) [bad anchor](domain.md#x) [not here](#nowhere) [wrong base](${docs}/domain.md)`,
        '```',
        '[inside a code block](ignored.md)',
        '```',
      ].join('\n'),
    };
    expect(check(file).map((p) => [p.kind, p.line, p.message])).toEqual([
      ['missing-file', 3, `${docs}/nope.md does not exist`],
      ['missing-anchor', 3, `${docs}/domain.md has no heading with the anchor #x`],
      ['missing-anchor', 3, `${docs}/guide.md has no heading with the anchor #nowhere`],
      ['missing-file', 3, `${docs}/${docs}/domain.md does not exist`],
    ]);
  });

  it('reports a reference outside the repository', () => {
    const file: SourceFile = { path: 'apps/x/README.md', text: `See \`${outside}/docs/stack.md\` and ${'shared'}/docs/qualification.md.` };
    expect(check(file).filter((p) => p.kind === 'outside-reference')).toHaveLength(2);
  });

  it('accepts a deliberately unknown id only in its file, and reports an exception that is no longer used', () => {
    const test: SourceFile = { path: 'apps/x/test/a.int-spec.ts', text: `expect(route('${unknownFc}')).toBe(404);` };
    const elsewhere: SourceFile = { path: 'apps/x/src/b.ts', text: `// ${unknownFc}` };
    const withException: CheckOptions = {
      catalogue: CATALOGUE,
      deliberateUnknownIds: [
        { file: test.path, id: unknownFc, reason: 'unknown id refused' },
        { file: 'apps/x/test/gone.int-spec.ts', id: unknownSr, reason: 'no longer there' },
      ],
    };
    const problems = checkReferences([test, elsewhere], memoryRepository([catalogue, domain, test, elsewhere]), withException);
    expect(problems.map((p) => [p.kind, p.file])).toEqual([
      ['requirement-without-entry', 'apps/x/src/b.ts'],
      ['stale-exception', 'apps/x/test/gone.int-spec.ts'],
    ]);
  });

  it('computes anchors and section numbers as GitHub and the code’s § references do', () => {
    expect(slugOf('1.5 Scopes and claims')).toBe('15-scopes-and-claims');
    expect(slugOf('2.2 The `recipient` parameter')).toBe('22-the-recipient-parameter');
    expect(slugOf('FC-01')).toBe('fc-01');
    expect(slugOf('Qu’est-ce que « FranceConnect » ?')).toBe('quest-ce-que--franceconnect--');
    expect([...anchorsOf('# A\n## A\n<a id="custom"></a>')]).toEqual(['a', 'a-1', 'custom']);
    expect([...sectionNumbersOf('## 4. SIRET\n### 2.6 Errors\n## Not numbered')]).toEqual(['4', '2.6']);
  });
});
