import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorCatalogueMarkdown } from '@fcplat/common';
import { CONFIG_REFERENCE } from '@fcplat/config';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

describe('documentation stays in step with the code', () => {
  it('docs/errors.md is the generated error catalogue (npm run docs:errors)', () => {
    expect(read('docs/errors.md')).toBe(renderErrorCatalogueMarkdown());
  });

  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    for (const variable of CONFIG_REFERENCE) expect(readme).toContain(`| \`${variable.name}\``);
  });

  it('the README names the test command that .ci/run calls', () => {
    expect(read('README.md')).toContain('npm test');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });
});
