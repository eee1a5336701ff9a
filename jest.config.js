/**
 * One Jest run for the whole monorepo, in native ESM (NestJS 12 is ESM-only).
 * - `*.spec.ts`: unit tests next to the code, needing nothing running (project `unit`);
 * - `test/**\/*.int-spec.ts`: integration tests against the real PostgreSQL, Redis and the
 *   sandbox servers on 127.0.0.1. The global setup creates a database (and a Redis key prefix)
 *   of this run's own, the teardown drops it.
 * Workspace packages are mapped to their TypeScript sources, so no build is needed to test.
 */
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: {
    '^@fcplat/([a-z0-9-]+)$': '<rootDir>/libs/$1/src/index.ts',
    // Secondary entry points (`@fcplat/contract/routes`).
    '^@fcplat/([a-z0-9-]+)/([a-z0-9-]+)$': '<rootDir>/libs/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

export default {
  // Two Jest projects. `unit` needs nothing running (no database, no Redis): `npx jest
  // --selectProjects unit` or `nx run <project>:test-unit` is the fast loop. `integration` gets
  // its own database and Redis prefix from the global setup, which Jest runs only when at least
  // one integration file is selected.
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tools/jest/global-setup.js',
      globalTeardown: '<rootDir>/tools/jest/global-teardown.js',
    },
  ],
  testTimeout: 30000,
  maxWorkers: 2,
};
