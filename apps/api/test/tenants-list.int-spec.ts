/**
 * The console's tenant lists at scale (issue 15): 5,000 tenants on a scratch database, the API in
 * process. Each list request is checked by what it sends to PostgreSQL, never by a timing: the
 * statements are counted (a TypeORM query subscriber sees every statement the API's data source
 * sends), then each captured statement is EXPLAINed with its own parameters: the count stops after
 * `LIST_WINDOW + 1` rows instead of visiting every tenant, and the infix search runs on the trigram
 * index (`tenant_name_key_trgm_idx`), not on a scan of every name. Latency is measured by
 * `tools/bench/tenant-list.mjs`.
 */
import { LIST_WINDOW } from '@fcplat/contract';
import { explain, useRecordedApi, type PlanNode, type Statement } from './statements-harness.js';

const TENANTS = 5_000;
const TRIGRAM_INDEX = 'tenant_name_key_trgm_idx';

/** The seeded names: four kinds of public bodies, numbered; one in 200 carries accents. */
function seededName(i: number): string {
  const kind = ['Commune de ', 'CCAS de ', 'Communauté de communes de ', 'Ville de '][i % 4] as string;
  return `${kind}${i % 200 === 0 ? 'Évry-Liste' : 'Liste'} ${i}`;
}

describe('tenant lists at 5,000 tenants: statements and plans', () => {
  const suite = useRecordedApi(
    'fcplat-test-tenants-list',
    (dataSource) =>
      dataSource.query(
        `INSERT INTO tenant (siret, slug, name, status, data_retrieval_enabled, legal_category_code)
         SELECT '98' || lpad(i::text, 12, '0'), 'liste-' || i, n.names[i], CASE WHEN i % 50 = 0 THEN 'suspended' ELSE 'active' END,
                i % 3 = 0, (ARRAY['7210', '7361', '7346', '7348'])[1 + i % 4]
           FROM generate_series(1, $1::int) AS i, (SELECT $2::text[] AS names) n`,
        [TENANTS, Array.from({ length: TENANTS }, (_, k) => seededName(k + 1))],
      ),
    120_000,
  );

  /** GETs `path` and returns its answer and the statements sent while it was served. */
  async function listRequest(path: string): Promise<{ status: number; body: Record<string, unknown>; statements: Statement[] }> {
    const { result, statements } = await suite.recording(async () => {
      const response = await fetch(`${suite.api.url}${path}`, { headers: { authorization: suite.authorization } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });
    return { ...result, statements };
  }

  const plan = (statement: Statement, analyze: boolean): Promise<PlanNode[]> => explain(suite.dataSource, statement, analyze);

  /** The statements of a list: its page (ORDER BY … LIMIT) and its windowed count. */
  function listStatements(statements: Statement[], table: RegExp): { page: Statement; count: Statement; others: Statement[] } {
    const mine = statements.filter((s) => table.test(s.sql));
    const count = mine.filter((s) => /count\(\*\)/i.test(s.sql));
    const page = mine.filter((s) => /ORDER BY/i.test(s.sql) && /LIMIT/i.test(s.sql));
    expect({ counts: count.length, pages: page.length }).toEqual({ counts: 1, pages: 1 });
    return { page: page[0] as Statement, count: count[0] as Statement, others: statements.filter((s) => !mine.includes(s)) };
  }

  /** The count's plan visits at most `LIST_WINDOW + 1` rows of any table (never every tenant). */
  async function expectWindowedCount(count: Statement): Promise<void> {
    const nodes = await plan(count, true);
    const scanned = nodes.filter((n) => n['Relation Name'] !== undefined).map((n) => ({ node: n['Node Type'], relation: n['Relation Name'], rows: n['Actual Rows'] }));
    expect(scanned.length).toBeGreaterThan(0);
    for (const scan of scanned) expect({ ...scan, withinWindow: (scan.rows ?? Infinity) <= LIST_WINDOW + 1 }).toEqual({ ...scan, withinWindow: true });
  }

  async function expectTrigramIndex(statement: Statement): Promise<void> {
    const nodes = await plan(statement, false);
    expect({ sql: statement.sql, indexes: nodes.map((n) => n['Index Name']).filter(Boolean) }).toEqual({ sql: statement.sql, indexes: expect.arrayContaining([TRIGRAM_INDEX]) });
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'tenant')).toEqual([]);
  }

  const expectedMatches = (part: string): number =>
    Array.from({ length: TENANTS }, (_, k) => seededName(k + 1))
      .map((name) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())
      .filter((name) => name.includes(part)).length;

  it('answers the first page with two statements on tenants, and counts only up to the window', async () => {
    const reply = await listRequest('/api/tenants');
    expect(reply.status).toBe(200);
    const { count, others } = listStatements(reply.statements, /\bFROM tenant t\b/);
    // Besides the list's own two statements, only the authentication's (no other list work).
    expect(others.filter((s) => /\b(FROM|JOIN|UPDATE)\s+"?(tenant|onboarding_case)\b/i.test(s.sql))).toEqual([]);
    await expectWindowedCount(count);
    expect(reply.body).toMatchObject({ page: 1, pageSize: 25, total: LIST_WINDOW, totalCapped: true });
    expect((reply.body.items as unknown[]).length).toBe(25);
  });

  it('searches a part of the folded name anywhere in it through the trigram index, with an exact total under the window', async () => {
    const expected = expectedMatches('iste 12');
    expect(expected).toBeGreaterThan(100);
    const reply = await listRequest(`/api/tenants?search=${encodeURIComponent('ISTE 12')}&pageSize=100`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ total: expected, totalCapped: false });
    const { count } = listStatements(reply.statements, /\bFROM tenant t\b/);
    await expectTrigramIndex(count);
    await expectWindowedCount(count);
    // A selective search: the page too comes from the trigram index. The search forgives typos
    // (« evry-liste » is near « liste »: tenants-search.int-spec.ts), but the exact match comes first.
    const one = await listRequest(`/api/tenants?search=${encodeURIComponent('évry-liste 4200')}`);
    expect(one.body).toMatchObject({ total: 1, totalCapped: false, items: [{ siret: '98000000004200' }] });
    await expectTrigramIndex(listStatements(one.statements, /\bFROM tenant t\b/).page);
  });

  it('serves one- and two-character searches (start of a word) and SIRET prefixes by index too', async () => {
    const short = await listRequest('/api/tenants?search=ev');
    expect(short.status).toBe(200);
    // « Évry-Liste … » names (one in 200) and nothing else of the seed has a word starting with « ev ».
    expect(short.body).toMatchObject({ total: TENANTS / 200, totalCapped: false });
    await expectTrigramIndex(listStatements(short.statements, /\bFROM tenant t\b/).count);
    const prefix = '9800000000420';
    const sirets = Array.from({ length: TENANTS }, (_, k) => `98${String(k + 1).padStart(12, '0')}`).filter((s) => s.startsWith(prefix));
    expect(sirets.length).toBeGreaterThan(1);
    const siret = await listRequest(`/api/tenants?search=${prefix}`);
    expect(siret.body).toMatchObject({ total: sirets.length, totalCapped: false });
    const nodes = await plan(listStatements(siret.statements, /\bFROM tenant t\b/).count, false);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  });

  it('counts a filtered list up to the window, and refuses a page beyond it in French', async () => {
    const filtered = await listRequest('/api/tenants?dataRetrievalEnabled=true&sort=siret&page=20');
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatchObject({ page: 20, total: LIST_WINDOW, totalCapped: true });
    await expectWindowedCount(listStatements(filtered.statements, /\bFROM tenant t\b/).count);
    const lastPage = await listRequest(`/api/tenants?pageSize=100&page=${LIST_WINDOW / 100}`);
    expect(lastPage.status).toBe(200);
    const beyond = await listRequest(`/api/tenants?pageSize=100&page=${LIST_WINDOW / 100 + 1}`);
    expect(beyond.status).toBe(400);
    expect(JSON.stringify(beyond.body)).toContain('premiers résultats sont consultables');
    expect(beyond.statements.filter((s) => /\bFROM tenant t\b/.test(s.sql))).toEqual([]);
  });

  it('gives the onboarding pipeline the same windowed count and indexed search', async () => {
    const all = await listRequest('/api/onboarding/cases');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: LIST_WINDOW, totalCapped: true });
    await expectWindowedCount(listStatements(all.statements, /onboarding_case c/).count);
    const search = await listRequest(`/api/onboarding/cases?search=${encodeURIComponent('iste 12')}`);
    expect(search.body).toMatchObject({ total: expectedMatches('iste 12'), totalCapped: false });
    const { count } = listStatements(search.statements, /onboarding_case c/);
    await expectTrigramIndex(count);
    await expectWindowedCount(count);
    expect((await listRequest(`/api/onboarding/cases?page=${LIST_WINDOW / 25 + 1}`)).status).toBe(400);
  });
});
