import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';

/**
 * The lint rules really apply to the front-ends' `.tsx` components: each rule is shown failing on a
 * snippet that breaks it and passing on one that does not, through ESLint's Node API and the
 * repository's own eslint.config.js (the snippets are linted as if they were files of the console or
 * the portal; nothing is written to disk).
 */
const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const eslint = new ESLint({ cwd: ROOT });

const CONSOLE_FILE = 'apps/console/src/components/LintProbe.tsx';
const PORTAL_FILE = 'apps/portal/src/components/LintProbe.tsx';

/** A component that renders what it imports, so every import is used. */
function component(importLine: string, expression: string, body = ''): string {
  return [
    "import { defineComponent } from 'vue';",
    importLine,
    '',
    'export default defineComponent({',
    '  setup() {',
    body,
    `    return () => <p>{String(${expression})}</p>;`,
    '  },',
    '});',
    '',
  ].join('\n');
}

async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath), warnIgnored: true });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages;
}

const summary = (messages: Linter.LintMessage[]) => messages.map((m) => ({ ruleId: m.ruleId, severity: m.severity, line: m.line }));

describe('ESLint on the console and portal .tsx components', () => {
  describe('module boundaries (@nx/enforce-module-boundaries)', () => {
    it.each([
      ['console', '@fcplat/db', CONSOLE_FILE, 'MIGRATIONS'],
      ['console', '@fcplat/config', CONSOLE_FILE, 'loadConfig'],
      ['console', '@fcplat/api-particulier-calls', CONSOLE_FILE, 'ApiParticulierCallLedger'],
      ['console', '@fcplat/api', CONSOLE_FILE, 'AppModule'],
      ['portal', '@fcplat/franceconnect', PORTAL_FILE, 'FranceConnectRelyingParty'],
      ['portal', '@fcplat/testing', PORTAL_FILE, 'createTestDatabase'],
      ['portal', '@fcplat/worker', PORTAL_FILE, 'startWorker'],
      ['portal', '../../../console/src/format', PORTAL_FILE, 'formatDate'],
    ])('the %s may not import %s', async (_app, source, file, name) => {
      const messages = await lint(component(`import { ${name} } from '${source}';`, name), file);
      expect(summary(messages)).toEqual([{ ruleId: '@nx/enforce-module-boundaries', severity: 2, line: 2 }]);
    });

    it.each([
      ['console', CONSOLE_FILE],
      ['portal', PORTAL_FILE],
    ])('the %s may import the shared domain lib', async (_app, file) => {
      const messages = await lint(component("import { API_PARTICULIER_CATALOGUE } from '@fcplat/domain';", 'API_PARTICULIER_CATALOGUE.length'), file);
      expect(messages).toEqual([]);
    });

    it.each([
      ['console', CONSOLE_FILE],
      ['portal', PORTAL_FILE],
    ])('the %s takes types from the API contract and its route table’s values, never its zod schemas', async (_app, file) => {
      const allowed = component("import type { TenantView } from '@fcplat/contract';\nimport { ROUTES } from '@fcplat/contract/routes';", 'ROUTES.getTenant.path', '    const tenant: TenantView | null = null;\n    void tenant;');
      expect(await lint(allowed, file)).toEqual([]);
      const schemas = await lint(component("import { tenantViewSchema } from '@fcplat/contract';", 'tenantViewSchema'), file);
      expect(summary(schemas)).toEqual([{ ruleId: '@typescript-eslint/no-restricted-imports', severity: 2, line: 2 }]);
      const zod = await lint(component("import { z } from 'zod';", 'z'), file);
      expect(zod.map((m) => [m.ruleId, m.messageId])).toEqual([['@nx/enforce-module-boundaries', 'bannedExternalImportsViolation']]);
    });

    it.each([
      ['console', 'pg', CONSOLE_FILE, 'Pool'],
      ['console', 'jose', CONSOLE_FILE, 'jwtVerify'],
      ['portal', 'playwright-core', PORTAL_FILE, 'chromium'],
      ['portal', 'primevue/button', PORTAL_FILE, 'Button'],
    ])('the %s may not import the npm package %s', async (_app, pkg, file, name) => {
      const messages = await lint(component(`import { ${name} } from '${pkg}';`, name), file);
      expect(messages.map((m) => [m.ruleId, m.messageId])).toEqual([['@nx/enforce-module-boundaries', 'bannedExternalImportsViolation']]);
    });

    it('the console may import PrimeVue and vue-router', async () => {
      const code = component("import Button from 'primevue/button';\nimport { RouterLink } from 'vue-router';", '[Button, RouterLink].length');
      expect(await lint(code, CONSOLE_FILE)).toEqual([]);
    });

    it.each([
      ['console', 'node:crypto', CONSOLE_FILE],
      ['portal', 'fs', PORTAL_FILE],
    ])('the %s may not import the Node built-in %s', async (_app, builtin, file) => {
      const messages = await lint(component(`import * as builtin from '${builtin}';`, 'builtin'), file);
      expect(summary(messages)).toEqual([{ ruleId: 'no-restricted-imports', severity: 2, line: 2 }]);
    });

    it('a shared lib may not import a server lib (the front-ends would pull it into the browser)', async () => {
      const code = "import { loadConfig } from '@fcplat/config';\n\nexport const probe = loadConfig;\n";
      const messages = await lint(code, 'libs/domain/src/lint-probe.ts');
      expect(summary(messages)).toEqual([{ ruleId: '@nx/enforce-module-boundaries', severity: 2, line: 1 }]);
    });
  });

  describe.each([
    ['console', CONSOLE_FILE],
    ['portal', PORTAL_FILE],
  ])('code rules in a %s component', (_app, file) => {
    it('no-console: reports a console call, accepts none', async () => {
      const failing = await lint(component("import { ref } from 'vue';", 'count.value', "    const count = ref(0);\n    console.log(count.value);"), file);
      expect(summary(failing)).toEqual([{ ruleId: 'no-console', severity: 2, line: 7 }]);
      const passing = await lint(component("import { ref } from 'vue';", 'count.value', '    const count = ref(0);'), file);
      expect(passing).toEqual([]);
    });

    it('eqeqeq: reports == and !=, accepts === and !==', async () => {
      const failing = await lint(component("import { ref } from 'vue';", "count.value == 1 || count.value != '2'", '    const count = ref<number | string>(0);'), file);
      expect(summary(failing)).toEqual([
        { ruleId: 'eqeqeq', severity: 2, line: 7 },
        { ruleId: 'eqeqeq', severity: 2, line: 7 },
      ]);
      const passing = await lint(component("import { ref } from 'vue';", "count.value === 1 || count.value !== '2'", '    const count = ref<number | string>(0);'), file);
      expect(passing).toEqual([]);
    });
  });
});

describe('every source file is linted with the project rules', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  /** Anything that holds code a bundler or Node would run, including single-file components. */
  const sources = tracked.filter((path) => /\.(?:[cm]?[jt]sx?|vue|svelte)$/.test(path));
  /** Tests and build tooling run in Node and may reach across projects; vite configs use tools/build. */
  const exempt = (path: string) => /(?:\.spec\.tsx?|\.int-spec\.ts)$|\/test\/|^tools\/|\/vite\.config\.ts$|^[^/]+$/.test(path);

  it('finds the front-ends .tsx components among them', () => {
    expect(sources.filter((path) => /^apps\/(?:console|portal)\/src\/.*\.tsx$/.test(path)).length).toBeGreaterThan(30);
  });

  it('applies eqeqeq to every one, and module boundaries and no-console to every non-test project file', async () => {
    const missing: string[] = [];
    for (const path of sources) {
      const config = (await eslint.calculateConfigForFile(resolve(ROOT, path))) as { rules?: Record<string, unknown[]> } | undefined;
      const severity = (rule: string) => config?.rules?.[rule]?.[0];
      const expected = exempt(path) ? ['eqeqeq'] : ['eqeqeq', 'no-console', '@nx/enforce-module-boundaries'];
      for (const rule of expected) if (severity(rule) !== 2) missing.push(`${path}: ${rule}`);
    }
    expect(missing).toEqual([]);
  });
});
