// ESLint flat config: TypeScript rules plus Nx module boundaries, so the layering in
// docs/architecture.md is enforced, not just described.
//
// Every source file is linted, whatever its extension: `.ts`/`.tsx`/`.mts`/`.cts` and
// `.js`/`.jsx`/`.mjs`/`.cjs` (tools/lint/boundaries.spec.ts checks that no tracked source file
// escapes these rules). The front-ends' components are `.tsx`; there are no `.vue` files (linting
// them would need vue-eslint-parser).
import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';
import globals from 'globals';

const sourceFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

/** The front-ends' sources: browser code, bundled by Vite. */
const browserSources = ['apps/console/src/**', 'apps/portal/src/**'];

const noFrameworks = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'bullmq',
  'ioredis',
  'express',
  'passport*',
  'vue',
  'node:*',
];

/**
 * npm packages the front-ends may import (Nx checks each import of a package in the lockfile
 * against this list; anything else, e.g. `pg`, `jose` or `playwright-core`, is an error).
 */
const portalPackages = ['vue', 'vue-router', 'vue-router/*'];
const consolePackages = [...portalPackages, 'primevue', 'primevue/*', '@primevue/*', '@primeuix/*', 'chart.js'];

/** Node built-ins, which Nx's boundary rule does not see (they are not in the project graph). */
const nodeBuiltins = {
  paths: builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: 'This code runs in the browser: no Node built-ins.' })),
  patterns: [{ group: ['node:*'], message: 'This code runs in the browser: no Node built-ins.' }],
};

/** The front-ends take types from the contract, never its zod schemas (values come from `@fcplat/contract/routes`). */
const contractTypesOnly = {
  name: '@fcplat/contract',
  allowTypeImports: true,
  message: 'The browser imports only types from the API contract (`import type`); the route table comes from `@fcplat/contract/routes`.',
};

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'coverage/**', 'artifacts/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: sourceFiles,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Pure code: no framework, no I/O, only other pure code.
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:util', 'type:domain'],
              bannedExternalImports: noFrameworks,
            },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data', 'type:feature'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data', 'type:testing'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data', 'type:feature', 'type:app'] },
            // Shared libs run in the browser too (the front-ends import them): only other shared libs.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The front-ends run in the browser: shared libs only (never a server lib such as db,
            // config, queue, franceconnect or api-particulier-calls, never another app), and only the
            // UI packages they are built with.
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'], allowedExternalImports: consolePackages },
            { sourceTag: 'scope:portal', onlyDependOnLibsWithTags: ['scope:shared'], allowedExternalImports: portalPackages },
            // Server code never reaches into a front-end.
            { sourceTag: 'scope:server', notDependOnLibsWithTags: ['scope:console', 'scope:portal'] },
            // The sandbox imitates the outside world: it must not lean on the platform's code.
            { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The front-ends' sources run in the browser, not in Node. Of the API contract they import
    // only types (`import type`: its zod schemas stay out of the bundles) and the route table's
    // values from `@fcplat/contract/routes`, which has no runtime import.
    files: browserSources,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', nodeBuiltins],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [contractTypesOnly] }],
    },
  },
  {
    // The pure libs must stay free of Node built-ins too (the front-ends import them).
    files: ['libs/domain/src/**', 'libs/common/src/**', 'libs/contract/src/**'],
    rules: { 'no-restricted-imports': ['error', nodeBuiltins] },
  },
  {
    // Build configurations take the shared build helpers from tools/build (not a project).
    files: ['apps/*/vite.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Tests run in Node (Jest), whichever project they belong to.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/test/**', 'tools/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off', '@nx/enforce-module-boundaries': 'off', 'no-restricted-imports': 'off' },
  },
];
