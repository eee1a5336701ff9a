// Local Nx plugin: the same task targets for every project under apps/ and libs/, written once
// here rather than in twenty package.json files. Nx infers them from each project's package.json
// (the `build` target stays its npm script). `npx nx show project @fcplat/domain` lists them.
//
//   typecheck  tsc over the project's sources (after its dependencies' builds)
//   lint       ESLint over the project's files, with the workspace's rules
//   test-unit  its `*.spec.ts` files: no database, no Redis, seconds; cached
//   test       every test file of the project, integration ones included (PostgreSQL, Redis and
//              Chromium on 127.0.0.1, see README); never cached: it talks to real services
//
// `npx nx affected -t lint typecheck test-unit` runs only what a change touches (base: main).
import { dirname } from 'node:path';

const JEST = 'NODE_OPTIONS=--experimental-vm-modules jest -c jest.config.js --ci';

/** Front-ends are type-checked by their own tsconfig (Vite builds them, tsc does not emit). */
const NO_EMIT = new Set(['apps/console', 'apps/portal']);

function targetsOf(root) {
  const typecheck = NO_EMIT.has(root) ? `tsc --noEmit -p ${root}/tsconfig.json` : `tsc -b ${root}`;
  return {
    typecheck: {
      command: typecheck,
      options: { cwd: '{workspaceRoot}' },
      dependsOn: ['^build'],
      inputs: ['production', '^production'],
      cache: true,
    },
    lint: {
      command: `eslint --max-warnings=0 ${root}`,
      options: { cwd: '{workspaceRoot}' },
      inputs: ['default', '{workspaceRoot}/eslint.config.js'],
      cache: true,
    },
    'test-unit': {
      command: `${JEST} --selectProjects unit --passWithNoTests ${root}/`,
      options: { cwd: '{workspaceRoot}' },
      inputs: ['default', '^production', '{workspaceRoot}/jest.config.js'],
      cache: true,
    },
    test: {
      command: `${JEST} --passWithNoTests ${root}/`,
      options: { cwd: '{workspaceRoot}' },
      // Some integration tests start the built API, worker or launcher.
      dependsOn: ['build', '^build'],
      cache: false,
    },
  };
}

export const createNodes = [
  '{apps,libs}/*/package.json',
  (files) =>
    files.map((file) => {
      const root = dirname(file);
      return [file, { projects: { [root]: { targets: targetsOf(root) } } }];
    }),
];
