// Writes docs/errors.md from the error catalogue (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { renderErrorCatalogueMarkdown } from '../../libs/common/dist/index.js';

writeFileSync(new URL('../../docs/errors.md', import.meta.url), renderErrorCatalogueMarkdown());
process.stdout.write('docs/errors.md written\n');
