/**
 * Finds import cycles between the source files of `apps/` and `libs/` (what `madge --circular`
 * would report, without the dependency): every static `import`/`export … from` of a relative path
 * or of a workspace package (`@fcplat/x`, resolved through its `exports`' `@fcplat/source`
 * condition) is an edge. Imports that TypeScript erases (`import type`, or only `type` bindings)
 * are kept apart: a cycle through them alone does not run, but still knots two modules together.
 * Dynamic `import()` is not an edge (lazy routes load after both modules are evaluated).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import ts from 'typescript';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** Erased by TypeScript: no module is loaded at run time. */
  readonly typeOnly: boolean;
}

export interface SourceTree {
  /** Repository-relative paths (posix separators). */
  readonly files: readonly string[];
  read(path: string): string;
  /** Workspace package name → repository-relative directory (`@fcplat/db` → `libs/db`). */
  readonly packages: ReadonlyMap<string, { readonly dir: string; readonly exports: unknown }>;
}

/** The tracked sources of `apps/` and `libs/` of the repository at `root`. */
export function diskTree(root: string): SourceTree {
  const tracked = execFileSync('git', ['ls-files', '-z', 'apps', 'libs'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const files = tracked.filter((path) => SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)) && !path.endsWith('.d.ts'));
  const packages = new Map<string, { dir: string; exports: unknown }>();
  for (const manifest of tracked.filter((path) => /^(apps|libs)\/[^/]+\/package\.json$/.test(path))) {
    const json = JSON.parse(readFileSync(join(root, manifest), 'utf8')) as { name?: string; exports?: unknown };
    if (json.name) packages.set(json.name, { dir: dirname(manifest), exports: json.exports });
  }
  return { files, packages, read: (path) => readFileSync(join(root, path), 'utf8') };
}

/** Every static import edge between files of the tree. */
export function importEdges(tree: SourceTree): ImportEdge[] {
  const known = new Set(tree.files);
  const edges: ImportEdge[] = [];
  for (const file of tree.files) {
    const source = ts.createSourceFile(file, tree.read(file), ts.ScriptTarget.Latest, false, scriptKindOf(file));
    for (const statement of source.statements) {
      const found = importOf(statement);
      if (!found) continue;
      const target = resolveSpecifier(tree, known, file, found.specifier);
      if (target !== null && target !== file) edges.push({ from: file, to: target, typeOnly: found.typeOnly });
    }
  }
  return edges;
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function importOf(statement: ts.Statement): { specifier: string; typeOnly: boolean } | null {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const clause = statement.importClause;
    // `import './x'` and `import x from` / `import * as x from` load the module.
    let typeOnly = clause?.isTypeOnly ?? false;
    if (clause && !typeOnly && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      const elements = clause.namedBindings.elements;
      typeOnly = elements.length > 0 && elements.every((element) => element.isTypeOnly);
    }
    return { specifier: statement.moduleSpecifier.text, typeOnly };
  }
  if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
    let typeOnly = statement.isTypeOnly;
    const clause = statement.exportClause;
    if (!typeOnly && clause && ts.isNamedExports(clause)) typeOnly = clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
    return { specifier: statement.moduleSpecifier.text, typeOnly };
  }
  return null;
}

function resolveSpecifier(tree: SourceTree, known: ReadonlySet<string>, from: string, specifier: string): string | null {
  if (specifier.startsWith('.')) return resolveFile(known, posix.normalize(posix.join(posix.dirname(from), specifier)));
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(\/.*)?$/.exec(specifier);
  const workspace = match?.[1] ? tree.packages.get(match[1]) : undefined;
  if (!match || !workspace) return null;
  const entry = sourceEntry(workspace.exports, match[2] ? `.${match[2]}` : '.');
  return entry === null ? null : resolveFile(known, posix.normalize(posix.join(workspace.dir, entry)));
}

/** The `@fcplat/source` (else default) target of a subpath of a package's `exports`. */
function sourceEntry(exports: unknown, subpath: string): string | null {
  if (typeof exports === 'string') return subpath === '.' ? exports : null;
  if (typeof exports !== 'object' || exports === null) return null;
  const map = exports as Record<string, unknown>;
  const target = Object.keys(map).some((key) => key.startsWith('.')) ? map[subpath] : subpath === '.' ? map : undefined;
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null) return null;
  const conditions = target as Record<string, unknown>;
  const chosen = conditions['@fcplat/source'] ?? conditions['import'] ?? conditions['default'];
  return typeof chosen === 'string' ? chosen : null;
}

function resolveFile(known: ReadonlySet<string>, path: string): string | null {
  const stem = path.replace(/\.(js|jsx|mjs|cjs)$/, '');
  const candidates = [path, ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs'].map((ext) => stem + ext), ...['index.ts', 'index.tsx', 'index.js'].map((name) => posix.join(path, name))];
  return candidates.find((candidate) => known.has(candidate)) ?? null;
}

/**
 * The import cycles: each strongly connected component of more than one file (Tarjan), as its
 * files sorted, the components sorted by their first file.
 */
export function importCycles(edges: readonly ImportEdge[], options: { readonly includeTypeOnly: boolean }): string[][] {
  const graph = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.typeOnly && !options.includeTypeOnly) continue;
    const targets = graph.get(edge.from) ?? [];
    targets.push(edge.to);
    graph.set(edge.from, targets);
    if (!graph.has(edge.to)) graph.set(edge.to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const numberOf = (map: ReadonlyMap<string, number>, node: string): number => map.get(node) ?? Number.POSITIVE_INFINITY;
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.size - 1);
    stack.push(node);
    onStack.add(node);
  };

  // Iterative Tarjan (no recursion depth to worry about, whatever the chains of imports).
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    visit(root);
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    for (let frame = work.at(-1); frame; frame = work.at(-1)) {
      const target = graph.get(frame.node)?.[frame.next];
      if (target !== undefined) {
        frame.next += 1;
        if (!index.has(target)) {
          visit(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(numberOf(low, frame.node), numberOf(index, target)));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(numberOf(low, parent.node), numberOf(low, frame.node)));
      if (numberOf(low, frame.node) !== numberOf(index, frame.node)) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === frame.node) break;
      }
      if (component.length > 1) components.push(component.sort());
    }
  }
  return components.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

