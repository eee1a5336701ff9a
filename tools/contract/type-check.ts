/**
 * Type-checks a front-end (its own tsconfig.json, as `tsc --noEmit -p` would) with some files of
 * the repository replaced in memory, through the TypeScript compiler API: nothing is written to
 * disk. Used to prove that a change of the API contract breaks the front-ends' type-check.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface Finding {
  /** Path from the repository's root. */
  readonly file: string;
  readonly line: number;
  readonly code: number;
  readonly message: string;
}

export interface Checker {
  /** Type-checks the project with `overrides` (absolute path → text) in place of those files. */
  check(overrides?: ReadonlyMap<string, string>): Finding[];
}

/**
 * A checker of the project whose tsconfig.json is `tsconfigPath` (from the root); it reuses what it
 * can between checks. `sourcesOnly` leaves the project references out and checks the referenced
 * libraries from their sources (a composite project such as the API would read their built
 * declarations otherwise, which an in-memory change does not reach).
 */
export function projectChecker(tsconfigPath: string, { sourcesOnly = false } = {}): Checker {
  const configPath = resolve(ROOT, tsconfigPath);
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  if (sourcesOnly) {
    parsed.projectReferences = undefined;
    parsed.options = { ...parsed.options, composite: false, incremental: false, declaration: false, declarationMap: false, sourceMap: false, rootDir: undefined, noEmit: true, tsBuildInfoFile: undefined };
  }
  let previous: ts.Program | undefined;
  /** The files as they are on disk, parsed once for every check (the program reuses them). */
  const parsedFiles = new Map<string, ts.SourceFile | undefined>();
  return {
    check(overrides = new Map()) {
      const host = ts.createCompilerHost(parsed.options, true);
      const original = host.getSourceFile.bind(host);
      const replaced = (fileName: string): string | undefined => overrides.get(resolve(fileName));
      host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        const text = replaced(fileName);
        if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
        if (!parsedFiles.has(fileName)) parsedFiles.set(fileName, original(fileName, languageVersion, onError, shouldCreate));
        return parsedFiles.get(fileName);
      };
      host.readFile = (fileName) => replaced(fileName) ?? ts.sys.readFile(fileName);
      const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences, host, oldProgram: previous });
      previous = program;
      return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
        return {
          file: diagnostic.file ? diagnostic.file.fileName.slice(ROOT.length + 1) : '',
          line: position ? position.line + 1 : 0,
          code: diagnostic.code,
          message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        };
      });
    },
  };
}
