/**
 * `preparedStatements` (issue 15): the hot paths' statements run as named prepared statements —
 * parsed once per connection, seen in `pg_prepared_statements` — with TypeORM's result shapes and
 * errors, so a caller can swap it for `DataSource.query`; turned off, it is the DataSource itself.
 * A pool of ONE connection, so what one call prepared is what the next reads.
 */
import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource, preparedStatementName, preparedStatements } from '@fcplat/db';
import { testDatabaseConfig } from '@fcplat/testing';

describe('preparedStatements', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource(testDatabaseConfig({ poolMax: 1 }), { applicationName: 'fcplat-test-prepared' });
    await dataSource.initialize();
    // A temporary table: the pool's one connection sees it, nobody else does.
    await dataSource.query('CREATE TEMPORARY TABLE prepared_probe (id int PRIMARY KEY, v text NOT NULL)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const preparedNamed = async (name: string): Promise<string[]> =>
    ((await dataSource.query('SELECT statement FROM pg_prepared_statements WHERE name = $1', [name])) as { statement: string }[]).map((row) => row.statement);

  it('names a statement after its text: one name per text, the same in every process', () => {
    const a = preparedStatementName('SELECT 1');
    expect(a).toMatch(/^fcplat_[0-9a-f]{32}$/);
    expect(preparedStatementName('SELECT 1')).toBe(a);
    expect(preparedStatementName('SELECT 2')).not.toBe(a);
  });

  it('prepares each text once on the connection and reuses it, with TypeORM’s result shapes', async () => {
    const sql = preparedStatements(dataSource, true);
    const insert = 'INSERT INTO prepared_probe (id, v) VALUES ($1, $2) RETURNING id, v';
    for (let id = 1; id <= 3; id += 1) expect(await sql.query(insert, [id, `v${id}`])).toEqual([{ id, v: `v${id}` }]);
    expect(await preparedNamed(preparedStatementName(insert))).toEqual([insert]);

    const select = 'SELECT id, v FROM prepared_probe WHERE id >= $1 ORDER BY id';
    expect(await sql.query(select, [2])).toEqual([
      { id: 2, v: 'v2' },
      { id: 3, v: 'v3' },
    ]);
    // UPDATE and DELETE: [rows, rowCount], as DataSource.query answers.
    const update = 'UPDATE prepared_probe SET v = $2 WHERE id <= $1 RETURNING id';
    expect(await sql.query(update, [2, 'w'])).toEqual([[{ id: 1 }, { id: 2 }], 2]);
    expect(await dataSource.query(update, [2, 'x'])).toEqual([[{ id: 1 }, { id: 2 }], 2]);
    expect(await sql.query('DELETE FROM prepared_probe WHERE id = $1', [3])).toEqual([[], 1]);
    // Every text once, whatever the number of calls.
    const names = [insert, select, update].map(preparedStatementName);
    const prepared = (await dataSource.query(`SELECT name FROM pg_prepared_statements WHERE name = ANY($1) ORDER BY name`, [names])) as { name: string }[];
    expect(prepared.map((row) => row.name)).toEqual([...names].sort());
  });

  it('fails like DataSource.query: a QueryFailedError carrying the driver’s code and constraint, and keeps the connection', async () => {
    const sql = preparedStatements(dataSource, true);
    const insert = 'INSERT INTO prepared_probe (id, v) VALUES ($1, $2)';
    await sql.query(insert, [10, 'a']);
    const error = await sql.query(insert, [10, 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string; constraint: string } }).driverError).toMatchObject({ code: '23505', constraint: 'prepared_probe_pkey' });
    // The same connection still (its temporary table is there): an SQL error does not cost a reconnection.
    expect(await sql.query('SELECT v FROM prepared_probe WHERE id = $1', [10])).toEqual([{ v: 'a' }]);
  });

  it('turned off (embedded PGlite), is the DataSource itself: nothing is prepared', async () => {
    expect(preparedStatements(dataSource, false)).toBe(dataSource);
    const select = 'SELECT v FROM prepared_probe WHERE id = $1 AND v <> $2';
    await preparedStatements(dataSource, false).query(select, [10, 'z']);
    expect(await preparedNamed(preparedStatementName(select))).toEqual([]);
  });
});
