/**
 * Checks that the repository explains itself: every requirement id the sources cite (`SR-xx`,
 * `FC-xx`) has an entry in the requirements catalogue, every reference to a documentation file
 * points at a file that exists (and at a heading of it, when it names an anchor or a `§` section),
 * and nothing points outside the repository (to the `shared` folder beside it).
 *
 * Pure functions over `{ path, text }` pairs plus a small file-system view, so the test can feed
 * them deliberately broken input and prove that the check fails (tools/docs/references.spec.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';

/** One file of the repository: its path relative to the root (POSIX separators) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** What the checker may ask about the repository besides the files it is given. */
export interface RepositoryView {
  /** Whether a file or directory exists at this repository-relative path. */
  exists(path: string): boolean;
  /** The text of a repository file, or undefined when it does not exist. */
  read(path: string): string | undefined;
}

export type ProblemKind =
  | 'requirement-without-entry'
  | 'missing-file'
  | 'missing-anchor'
  | 'missing-section'
  | 'outside-reference'
  | 'stale-exception';

export interface Problem {
  readonly kind: ProblemKind;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A citation of an id that is not a requirement on purpose (a test of an unknown id), per file. */
export interface DeliberateUnknownId {
  readonly file: string;
  readonly id: string;
  readonly reason: string;
}

export interface CheckOptions {
  /** Repository path of the requirements catalogue. */
  readonly catalogue: string;
  /** Files not checked at all: verbatim copies of third-party documents, kept as they are upstream. */
  readonly vendored?: (path: string) => boolean;
  /** Ids cited on purpose without an entry, each in one named file. */
  readonly deliberateUnknownIds: readonly DeliberateUnknownId[];
}

/** Where the walk looks, relative to the repository root. */
export const SCANNED_ROOTS = ['apps', 'libs', 'tools', 'docs', 'README.md', 'CONTRIBUTING.md'] as const;
export const SCANNED_EXTENSIONS = ['.ts', '.tsx', '.vue', '.md', '.mjs', '.js'] as const;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.data', '.nx', 'coverage']);

export const REQUIREMENT_ID = /\b(?:SR|FC)-\d{2}\b/g;

/**
 * A plain reference to a documentation file: `docs/` + a path ending in `.md`, maybe preceded by
 * `../` segments (then relative to the citing file, otherwise to the root), maybe followed by
 * `#anchor` or by `§` section numbers (`§1.5, §2.5`).
 */
const DOC_REFERENCE =
  /(?<![\w/.@-])((?:\.\.\/)*)docs\/([\w./-]*?[\w-]\.md)(?:#([\p{L}\p{N}_-]+))?((?:\s*(?:,|and|et)?\s*§\s*\d+(?:\.\d+)*)*)/gu;
/** A file name without a path, followed by `§` sections: resolved from the citing file's folder. */
const BARE_SECTION_REFERENCE = /(?<![\w/.@-])([\w-]+\.md)((?:\s*(?:,|and|et)?\s*§\s*\d+(?:\.\d+)*)+)/gu;
const SECTION_NUMBER = /§\s*(\d+(?:\.\d+)*)/g;
/** The folder outside the repository that the code must no longer lean on. */
const OUTSIDE_REFERENCE = /(?:\.\.\/)+shared\b|(?<![\w@./-])shared\/(?:docs|data|seeds)\b/g;
/** A markdown link (or image) target. */
const MARKDOWN_LINK = /!?\[[^\]\n]*\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** Lists the scanned files under `root` (sorted), skipping dependencies and build output. */
export function listSourceFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (relative: string): void => {
    const absolute = posix.join(root, relative);
    const stats = statSync(absolute);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) {
        if (SKIPPED_DIRECTORIES.has(entry)) continue;
        visit(posix.join(relative, entry));
      }
    } else if (SCANNED_EXTENSIONS.some((extension) => relative.endsWith(extension))) {
      files.push({ path: relative, text: readFileSync(absolute, 'utf8') });
    }
  };
  for (const start of SCANNED_ROOTS) if (existsSync(posix.join(root, start))) visit(start);
  return files;
}

/** The repository as it is on disk. */
export function diskRepository(root: string): RepositoryView {
  return {
    exists: (path) => existsSync(posix.join(root, path)),
    read: (path) => {
      const absolute = posix.join(root, path);
      return existsSync(absolute) && statSync(absolute).isFile() ? readFileSync(absolute, 'utf8') : undefined;
    },
  };
}

/** A repository made of the given files only (for tests). */
export function memoryRepository(files: readonly SourceFile[]): RepositoryView {
  const byPath = new Map(files.map((file) => [file.path, file.text]));
  const directories = new Set(files.flatMap((file) => ancestorsOf(file.path)));
  return {
    exists: (path) => byPath.has(stripSlash(path)) || directories.has(stripSlash(path)),
    read: (path) => byPath.get(path),
  };
}

function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

function stripSlash(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped (letters, digits, spaces,
 * `-` and `_` kept), each space a `-`. Links, inline code and HTML tags count by their text.
 */
export function slugOf(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

export interface Heading {
  readonly text: string;
  readonly anchor: string;
  readonly line: number;
}

/** Lines of a markdown text with fenced code blocks blanked out (line numbers kept). */
function withoutFences(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) {
      fence = marker[0] as string;
      return '';
    }
    if (fence !== null) {
      if (marker && marker[0] === fence) fence = null;
      return '';
    }
    return line;
  });
}

/** The headings of a markdown text with their GitHub anchors (duplicates get `-1`, `-2`…). */
export function headingsOf(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const headings: Heading[] = [];
  withoutFences(markdown).forEach((line, index) => {
    const match = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) return;
    const text = match[1] as string;
    const base = slugOf(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    headings.push({ text, anchor: count === 0 ? base : `${base}-${count}`, line: index + 1 });
  });
  return headings;
}

/** Every anchor a markdown text offers: its headings' and explicit `<a id|name="…">` ones. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set(headingsOf(markdown).map((heading) => heading.anchor));
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] as string);
  return anchors;
}

/** The section numbers of a markdown text: `## 4. SIRET…` gives `4`, `### 2.6 Errors…` gives `2.6`. */
export function sectionNumbersOf(markdown: string): Set<string> {
  const numbers = new Set<string>();
  for (const heading of headingsOf(markdown)) {
    const number = /^(\d+(?:\.\d+)*)\.?\s/.exec(heading.text)?.[1];
    if (number) numbers.add(number);
  }
  return numbers;
}

/** The ids the catalogue has an entry for: headings that are exactly an id (`### ` then the id). */
export function catalogueEntries(markdown: string): Set<string> {
  return new Set(headingsOf(markdown).map((heading) => heading.text).filter((text) => /^(?:SR|FC)-\d{2}$/.test(text)));
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Resolves `target` (relative to `fromFile`'s folder, or to the root when it starts with `/`). */
function resolveFrom(fromFile: string, target: string): string | null {
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(fromFile), target);
  const normalised = posix.normalize(joined);
  return normalised.startsWith('..') ? null : normalised.replace(/\/$/, '') || '.';
}

/** Runs every check over `files`; returns the problems found (none: the repository explains itself). */
export function checkReferences(files: readonly SourceFile[], repository: RepositoryView, options: CheckOptions): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const report = (problem: Problem): void => {
    const key = `${problem.kind}|${problem.file}|${problem.line}|${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };

  const markdownCache = new Map<string, string | undefined>();
  const markdown = (path: string): string | undefined => {
    if (!markdownCache.has(path)) markdownCache.set(path, repository.read(path));
    return markdownCache.get(path);
  };

  const catalogueText = markdown(options.catalogue);
  const entries = catalogueText === undefined ? new Set<string>() : catalogueEntries(catalogueText);
  const deliberate = new Set(options.deliberateUnknownIds.map((exception) => `${exception.file}|${exception.id}`));
  const deliberateSeen = new Set<string>();

  const checkTarget = (file: string, line: number, path: string, anchor: string | undefined, sections: readonly string[]): void => {
    if (!repository.exists(path)) {
      report({ kind: 'missing-file', file, line, message: `${path} does not exist` });
      return;
    }
    if (!path.endsWith('.md') || (anchor === undefined && sections.length === 0)) return;
    const text = markdown(path);
    if (text === undefined) return;
    if (anchor !== undefined && !anchorsOf(text).has(anchor)) {
      report({ kind: 'missing-anchor', file, line, message: `${path} has no heading with the anchor #${anchor}` });
    }
    const numbers = sectionNumbersOf(text);
    for (const section of sections) {
      if (!numbers.has(section)) report({ kind: 'missing-section', file, line, message: `${path} has no section numbered ${section} (§${section})` });
    }
  };

  for (const file of files) {
    const { path, text } = file;
    if (options.vendored?.(path)) continue;

    for (const match of text.matchAll(REQUIREMENT_ID)) {
      const id = match[0];
      if (entries.has(id)) continue;
      const key = `${path}|${id}`;
      if (deliberate.has(key)) {
        deliberateSeen.add(key);
        continue;
      }
      report({
        kind: 'requirement-without-entry',
        file: path,
        line: lineOf(text, match.index),
        message: `${id} is cited but ${options.catalogue} has no entry "### ${id}"`,
      });
    }

    for (const match of text.matchAll(OUTSIDE_REFERENCE)) {
      report({
        kind: 'outside-reference',
        file: path,
        line: lineOf(text, match.index),
        message: `"${match[0]}" points outside the repository; point at the repository's docs/ instead`,
      });
    }

    for (const match of text.matchAll(DOC_REFERENCE)) {
      const ups = match[1] ?? '';
      const target = `${ups}docs/${match[2] as string}`;
      const resolved = ups === '' ? posix.normalize(target) : resolveFrom(path, target);
      const line = lineOf(text, match.index);
      if (resolved === null) {
        report({ kind: 'missing-file', file: path, line, message: `${target} resolves outside the repository` });
        continue;
      }
      const sections = [...(match[4] ?? '').matchAll(SECTION_NUMBER)].map((section) => section[1] as string);
      checkTarget(path, line, resolved, match[3], sections);
    }

    for (const match of text.matchAll(BARE_SECTION_REFERENCE)) {
      const resolved = resolveFrom(path, match[1] as string);
      const line = lineOf(text, match.index);
      const sections = [...(match[2] as string).matchAll(SECTION_NUMBER)].map((section) => section[1] as string);
      if (resolved === null) continue;
      if (!repository.exists(resolved)) {
        report({ kind: 'missing-file', file: path, line, message: `${match[1] as string} (${resolved} from this file's folder) does not exist: write its path from the root, e.g. docs/${match[1] as string}` });
        continue;
      }
      checkTarget(path, line, resolved, undefined, sections);
    }

    if (path.endsWith('.md')) {
      const lines = withoutFences(text);
      lines.forEach((content, index) => {
        for (const match of content.matchAll(MARKDOWN_LINK)) {
          const raw = match[1] as string;
          if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) continue;
          const [targetPart, anchor] = raw.split('#', 2) as [string, string | undefined];
          const target = targetPart.split('?')[0] as string;
          if (target === '') {
            if (anchor !== undefined && !anchorsOf(text).has(anchor)) {
              report({ kind: 'missing-anchor', file: path, line: index + 1, message: `${path} has no heading with the anchor #${anchor}` });
            }
            continue;
          }
          const resolved = resolveFrom(path, decodeURI(target));
          if (resolved === null) {
            report({ kind: 'missing-file', file: path, line: index + 1, message: `${raw} resolves outside the repository` });
            continue;
          }
          checkTarget(path, index + 1, resolved, anchor, []);
        }
      });
    }
  }

  for (const exception of options.deliberateUnknownIds) {
    if (!deliberateSeen.has(`${exception.file}|${exception.id}`)) {
      report({
        kind: 'stale-exception',
        file: exception.file,
        line: 0,
        message: `${exception.id} is listed as deliberately unknown in ${exception.file}, which no longer cites it: remove the exception`,
      });
    }
  }
  return problems;
}

/** One line per problem, for a failing test's message. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.file}:${problem.line} [${problem.kind}] ${problem.message}`).join('\n');
}
