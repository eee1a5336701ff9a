import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataArgsStorage } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { QUERY_MODULE_TABLES } from './query-modules.js';

/**
 * A relation of `QUERY_MODULE_TABLES` has no entity because one module owns its SQL: no other
 * source file may name it (outside libs/db, which declares and migrates it, and tests, which may
 * look). Whether every relation of the migrations has an owner needs a database:
 * libs/db/test/table-ownership.int-spec.ts.
 */
const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

function trackedSources(): string[] {
  return execFileSync('git', ['ls-files', '-z', 'apps', 'libs'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((path) => /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(path))
    .filter((path) => !path.startsWith('libs/db/src/') && !/\.(spec|int-spec)\.ts$/.test(path) && !/^(apps|libs)\/[^/]+\/test\//.test(path));
}

describe('query-module tables', () => {
  it('are registered once each, with a module, a reason and no entity', () => {
    const tables = QUERY_MODULE_TABLES.map((entry) => entry.table);
    expect(new Set(tables).size).toBe(tables.length);
    for (const entry of QUERY_MODULE_TABLES) {
      expect(entry.table).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(entry.why.length).toBeGreaterThan(20);
      expect(readFileSync(join(ROOT, entry.module), 'utf8')).toMatch(new RegExp(`\\b${entry.table}\\b`));
    }
    const entities: readonly unknown[] = ENTITIES;
    const entityTables = new Set(getMetadataArgsStorage().tables.filter((table) => entities.includes(table.target)).map((table) => table.name));
    expect(entityTables).toContain('api_particulier_call');
    for (const table of tables) expect({ table, entity: entityTables.has(table) }).toEqual({ table, entity: false });
  });

  it('are named by their owning module only', () => {
    const sources = trackedSources();
    expect(sources).toContain('libs/api-particulier-calls/src/dispatcher.ts');
    const strays: string[] = [];
    for (const path of sources) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      for (const entry of QUERY_MODULE_TABLES) {
        if (path !== entry.module && new RegExp(`\\b${entry.table}\\b`).test(text)) strays.push(`${path} names ${entry.table} (owned by ${entry.module})`);
      }
    }
    expect(strays).toEqual([]);
  });
});
