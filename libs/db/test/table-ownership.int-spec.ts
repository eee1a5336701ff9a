/**
 * Every relation the migrations create has an owner in libs/db (issue 13): a TypeORM entity in
 * `ENTITIES` whose columns are the table's, or an entry in `QUERY_MODULE_TABLES` naming the one
 * module whose SQL uses it (or it belongs to a framework: `FRAMEWORK_TABLES`). A migration adding a
 * table with neither fails here, as does a stale entity or entry; each relation is listed in
 * docs/architecture.md (section Data).
 *
 * Checked on a scratch database migrated from empty, so nothing a parallel suite creates (BullMQ's
 * own schema in embedded mode, probes) is taken for the platform's schema.
 */
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { FRAMEWORK_TABLES, QUERY_MODULE_TABLES } from '@fcplat/db';
import { scratchMigratedDatabase, type ScratchDatabase } from '@fcplat/testing';

interface Relation {
  readonly name: string;
  readonly kind: 'table' | 'view';
}

interface ColumnRow {
  readonly table_name: string;
  readonly column_name: string;
  readonly is_nullable: 'YES' | 'NO';
  readonly is_generated: 'ALWAYS' | 'NEVER';
}

async function relationsOf(dataSource: DataSource): Promise<Relation[]> {
  const rows = (await dataSource.query(
    `SELECT table_name AS name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS kind
       FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  )) as Relation[];
  return rows;
}

/** What is wrong with the ownership of the database's relations; empty when every one has its owner. */
async function ownershipProblems(dataSource: DataSource): Promise<string[]> {
  const problems: string[] = [];
  const relations = await relationsOf(dataSource);
  const byName = new Map(relations.map((relation) => [relation.name, relation]));
  const entityTables = new Map(dataSource.entityMetadatas.map((metadata) => [metadata.tableName, metadata]));
  const registered = new Map(QUERY_MODULE_TABLES.map((entry) => [entry.table, entry]));
  const framework = new Set(FRAMEWORK_TABLES.map((entry) => entry.table));

  for (const relation of relations) {
    const owners = [entityTables.has(relation.name), registered.has(relation.name), framework.has(relation.name)].filter(Boolean).length;
    if (owners === 0) {
      problems.push(`${relation.kind} ${relation.name}: no entity in libs/db (ENTITIES) and no query module registered (QUERY_MODULE_TABLES)`);
    } else if (owners > 1) {
      problems.push(`${relation.kind} ${relation.name}: has more than one owner (an entity, a query module, a framework): keep one`);
    }
  }
  for (const table of entityTables.keys()) {
    if (!byName.has(table)) problems.push(`entity of ${table}: no such relation after the migrations`);
  }
  for (const entry of QUERY_MODULE_TABLES) {
    const relation = byName.get(entry.table);
    if (!relation) problems.push(`QUERY_MODULE_TABLES entry ${entry.table}: no such relation after the migrations`);
    else if (relation.kind !== entry.kind) problems.push(`QUERY_MODULE_TABLES entry ${entry.table}: is a ${relation.kind}, registered as a ${entry.kind}`);
  }
  for (const table of framework) if (!byName.has(table)) problems.push(`FRAMEWORK_TABLES entry ${table}: no such relation after the migrations`);

  // An entity maps its table's columns, all of them, with their nullability.
  const columns = (await dataSource.query(
    `SELECT table_name, column_name, is_nullable, is_generated FROM information_schema.columns WHERE table_schema = 'public'`,
  )) as ColumnRow[];
  for (const [table, metadata] of entityTables) {
    // A generated column carries no NOT NULL of its own; ours never yield null, so their entities say NOT NULL.
    const actual = new Map(columns.filter((column) => column.table_name === table).map((column) => [column.column_name, column.is_nullable === 'YES' && column.is_generated === 'NEVER']));
    if (actual.size === 0) continue;
    const mapped = new Map(metadata.columns.map((column) => [column.databaseName, column.isNullable]));
    for (const [name, nullable] of mapped) {
      if (!actual.has(name)) problems.push(`entity of ${table}: maps column ${name}, which the table does not have`);
      else if (actual.get(name) !== nullable) problems.push(`entity of ${table}: column ${name} is ${actual.get(name) ? 'nullable' : 'NOT NULL'} in the table, ${nullable ? 'nullable' : 'NOT NULL'} in the entity`);
    }
    for (const name of actual.keys()) if (!mapped.has(name)) problems.push(`entity of ${table}: does not map column ${name}`);
  }
  return problems.sort();
}

/** The `## Data` section of docs/architecture.md. */
function dataSection(): string {
  const text = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
  const start = text.indexOf('\n## Data\n');
  if (start < 0) return '';
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('ownership of the tables', () => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase('fcplat-test-table-ownership');
  }, 60_000);

  afterAll(async () => {
    await scratch.drop();
  });

  it('gives every relation of the migrations an entity, a registered query module or a framework, and each entity all its columns', async () => {
    expect(await ownershipProblems(scratch.dataSource)).toEqual([]);
  });

  it('names the module of every query-module relation, and that module uses it', () => {
    for (const entry of QUERY_MODULE_TABLES) {
      const source = readFileSync(new URL(`../../../${entry.module}`, import.meta.url), 'utf8');
      expect({ table: entry.table, named: new RegExp(`\\b${entry.table}\\b`).test(source) }).toEqual({ table: entry.table, named: true });
      expect(entry.why.length).toBeGreaterThan(20);
    }
  });

  it('lists every relation in docs/architecture.md (section Data)', async () => {
    const section = dataSection();
    expect(section).not.toBe('');
    const missing = (await relationsOf(scratch.dataSource)).map((relation) => relation.name).filter((name) => !section.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('fails on a table nobody owns, a dropped column and a column no entity maps', async () => {
    const ds = scratch.dataSource;
    await ds.query(`CREATE TABLE orphan_probe (id integer PRIMARY KEY)`);
    await ds.query(`ALTER TABLE citizen_signup_request ADD COLUMN unmapped_probe text`);
    await ds.query(`ALTER TABLE api_particulier_batch DROP COLUMN file_name`);
    await ds.query(`ALTER TABLE qualification_robot_pass ALTER COLUMN run_id SET NOT NULL`);
    await ds.query(`DROP TABLE api_particulier_lane`);
    // The last test: the scratch database is dropped after it.
    expect(await ownershipProblems(ds)).toEqual([
      'QUERY_MODULE_TABLES entry api_particulier_lane: no such relation after the migrations',
      'entity of api_particulier_batch: maps column file_name, which the table does not have',
      'entity of citizen_signup_request: does not map column unmapped_probe',
      'entity of qualification_robot_pass: column run_id is NOT NULL in the table, nullable in the entity',
      'table orphan_probe: no entity in libs/db (ENTITIES) and no query module registered (QUERY_MODULE_TABLES)',
    ]);
  });
});
