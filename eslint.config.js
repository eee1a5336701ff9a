// ESLint flat config: TypeScript rules plus Nx module boundaries, so the layering in
// docs/architecture.md is enforced, not just described.
import nx from '@nx/eslint-plugin';
import globals from 'globals';

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

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'coverage/**', 'artifacts/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
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
    // The pure domain lib must stay free of Node built-ins too (the console imports it).
    files: ['libs/domain/src/**/*.ts', 'libs/common/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https'], message: 'Pure libs run in the browser too.' }] }],
    },
  },
  {
    // Build configurations take the shared build helpers from tools/build (not a project).
    files: ['apps/*/vite.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', 'tools/**/*.{js,ts,mjs}'],
    rules: { 'no-console': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
];
