import { ERROR_CATALOGUE } from './errors.js';

/** The error-code reference as Markdown (written to docs/errors.md by `npm run docs:errors`). */
export function renderErrorCatalogueMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([code, def]) => `| \`${code}\` | ${def.status} | ${def.title} | ${def.retryable ? 'yes' : 'no'} |`,
  );
  return [
    '# Error codes',
    '',
    'Generated from `libs/common/src/errors.ts` by `npm run docs:errors`; a test fails when this file is stale.',
    '',
    'Every error the API returns on purpose is an `application/problem+json` document (RFC 9457):',
    '`type` is `urn:fcplat:error:<CODE>`, `code` is the stable code below, `title` its French title,',
    '`detail` a French explanation, `requestId` the id to quote to support, and `violations`',
    '(`[{ path, message }]`) lists the offending fields of an invalid input. Codes never change meaning.',
    '',
    '| Code | HTTP status | Title (French, shown to users) | Retry may succeed |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
