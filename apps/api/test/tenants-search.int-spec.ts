/**
 * Search that forgives (issue 16), at 10,000 tenants on a scratch database, the API in process:
 * « Clamrt » finds « Clamart », « saint-etienne » finds « Saint-Étienne », « ccas bezier » finds
 * « CCAS de Béziers », the best matches come first, SIRET and slug still match, a word that is
 * nowhere finds nothing. Each search is also checked by what it sends to PostgreSQL: its page and
 * count (EXPLAINed with their own parameters, under the search's own threshold) run on the trigram
 * index `tenant_name_key_trgm_idx`, never on a scan of every tenant. Latency is measured by
 * `tools/bench/tenant-list.mjs`.
 */
import { WORD_SIMILARITY_THRESHOLD } from '../src/tenants/tenant-search.js';
import { explain, useRecordedApi, type PlanNode, type Statement } from './statements-harness.js';

const TENANTS = 10_000;
const TRIGRAM_INDEX = 'tenant_name_key_trgm_idx';

/** The tenants the examples look for, with their SIRETs; the 10,000 others are numbered « Liste » names. */
const NAMED: readonly [string, string, string][] = [
  ['Clamart', '21920023500014', 'clamart'],
  ['Clamart Habitat', '21920023500022', 'clamart-habitat'],
  ['Mairie de Clamart', '21920023500030', 'mairie-de-clamart'],
  ['Ville de Clamecy', '21580079700017', 'clamecy'],
  ['Ville de Saint-Étienne', '21420218600013', 'saint-etienne'],
  ['CCAS de Béziers', '26340032100018', 'ccas-de-beziers'],
  ['Œuvre sociale de l’Abbaye', '26340032100026', 'oeuvre-sociale-abbaye'],
];

function fillerName(i: number): string {
  return `${['Commune de ', 'CCAS de ', 'Communauté de communes de ', 'Ville de '][i % 4] as string}Liste ${i}`;
}

describe('tenant search that forgives accents, case and typos, at 10,000 tenants', () => {
  const suite = useRecordedApi(
    'fcplat-test-tenants-search',
    async (dataSource) => {
      await dataSource.query(
        `INSERT INTO tenant (siret, slug, name)
         SELECT '98' || lpad(i::text, 12, '0'), 'liste-' || i, n.names[i]
           FROM generate_series(1, $1::int) AS i, (SELECT $2::text[] AS names) n`,
        [TENANTS, Array.from({ length: TENANTS }, (_, k) => fillerName(k + 1))],
      );
      for (const [name, siret, slug] of NAMED) await dataSource.query(`INSERT INTO tenant (siret, slug, name) VALUES ($1, $2, $3)`, [siret, slug, name]);
    },
    180_000,
  );

  async function search(path: string, term: string): Promise<{ names: string[]; total: number; statements: Statement[] }> {
    const { result: response, statements } = await suite.recording(() =>
      fetch(`${suite.api.url}${path}${path.includes('?') ? '&' : '?'}search=${encodeURIComponent(term)}`, { headers: { authorization: suite.authorization } }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { name?: string; tenantName?: string }[]; total: number };
    return { names: body.items.map((item) => (item.name ?? item.tenantName) as string), total: body.total, statements };
  }

  const searchTenants = (term: string) => search('/api/tenants', term);

  /** The plan of `statement` under the search's threshold, as the API runs it. */
  async function plan(statement: Statement): Promise<PlanNode[]> {
    return suite.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL pg_trgm.strict_word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
      return explain(manager, statement);
    });
  }

  /**
   * The list's statements each run on the trigram index, with no sequential scan of the tenants:
   * its page and count as typed, then (`forgiving`: nothing matched as typed) its page and count
   * forgiving typos, in a transaction that sets its threshold for itself only.
   */
  async function expectIndexed(statements: Statement[], table: RegExp, forgiving: boolean): Promise<void> {
    const mine = statements.filter((s) => table.test(s.sql) && /name_key/.test(s.sql));
    expect({ statements: mine.length, forgiving: mine.filter((s) => /<<%/.test(s.sql)).length }).toEqual({ statements: forgiving ? 4 : 2, forgiving: forgiving ? 2 : 0 });
    for (const statement of mine) {
      const nodes = await plan(statement);
      expect({ sql: statement.sql, indexes: nodes.map((n) => n['Index Name']).filter(Boolean) }).toEqual({ sql: statement.sql, indexes: expect.arrayContaining([TRIGRAM_INDEX]) });
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'tenant')).toEqual([]);
    }
    // The threshold is set for the transaction only, never for the session.
    expect(statements.filter((s) => /\bSET\b.*strict_word_similarity_threshold/i.test(s.sql)).map((s) => /SET LOCAL/i.test(s.sql))).toEqual(forgiving ? [true] : []);
  }

  it('finds « Clamart » from « Clamrt » (a letter missing) or « Clamort » (a wrong one), by index, and not « Clamecy »', async () => {
    expect((await searchTenants('Clamort')).names).toEqual(['Clamart', 'Clamart Habitat', 'Mairie de Clamart']);
    expect((await searchTenants('clamart')).names).not.toContain('Ville de Clamecy');
    const reply = await searchTenants('Clamrt');
    expect(reply.names).toEqual(expect.arrayContaining(['Clamart', 'Clamart Habitat', 'Mairie de Clamart']));
    expect(reply.names).not.toContain('Ville de Clamecy');
    expect(reply.total).toBe(3);
    await expectIndexed(reply.statements, /\bFROM tenant t\b/, true);
  });

  it('forgives accents and case both ways: « saint-etienne », « SAINT ÉTIENNE », « oeuvre l’abbaye »', async () => {
    expect((await searchTenants('saint-etienne')).names).toEqual(['Ville de Saint-Étienne']);
    expect((await searchTenants('SAINT ÉTIENNE')).names).toEqual(['Ville de Saint-Étienne']);
    expect((await searchTenants("oeuvre l'abbaye")).names).toEqual(['Œuvre sociale de l’Abbaye']);
  });

  it('finds « CCAS de Béziers » first from « ccas bezier », among the 2,500 other CCAS', async () => {
    const reply = await searchTenants('ccas bezier');
    expect(reply.names).toEqual(['CCAS de Béziers']);
    await expectIndexed(reply.statements, /\bFROM tenant t\b/, false);
    // « ccas » alone matches a quarter of the tenants: the count stops at the window, the page still comes from the index.
    const broad = await searchTenants('ccas');
    expect(broad.total).toBe(1000);
  });

  it('ranks the exact name first, then names starting with the term, then names containing it; typos only when nothing matches as typed', async () => {
    expect((await searchTenants('clamart')).names).toEqual(['Clamart', 'Clamart Habitat', 'Mairie de Clamart']);
    expect((await searchTenants('clamart habitt')).names).toEqual(['Clamart Habitat']);
    // « ville » is in names as typed: no near match (« Ville de Clamecy » has it; no « villa » needed).
    const ville = await searchTenants('ville liste 12');
    expect(ville.total).toBeGreaterThan(0);
    expect(ville.statements.filter((s) => /<<%/.test(s.sql))).toEqual([]);
    // An explicit sort still wins over relevance.
    const byName = await search('/api/tenants?sort=name', 'clamart');
    expect(byName.names).toEqual(['Clamart', 'Clamart Habitat', 'Mairie de Clamart']);
    const byNameDesc = await search('/api/tenants?sort=name&order=desc', 'clamart');
    expect(byNameDesc.names).toEqual(['Mairie de Clamart', 'Clamart Habitat', 'Clamart']);
  });

  it('still matches the SIRET and the slug, and finds nothing for a word that is nowhere', async () => {
    expect((await searchTenants('2634003210')).names.sort()).toEqual(['CCAS de Béziers', 'Œuvre sociale de l’Abbaye']);
    expect((await searchTenants('263 400 321 00018')).names).toEqual(['CCAS de Béziers']);
    expect((await searchTenants('oeuvre-sociale')).names).toEqual(['Œuvre sociale de l’Abbaye']);
    expect((await searchTenants('mairie-de-clam')).names).toEqual(['Mairie de Clamart']);
    const none = await searchTenants('Zanzibar');
    expect({ names: none.names, total: none.total }).toEqual({ names: [], total: 0 });
    expect((await searchTenants('Clamart Zanzibar')).total).toBe(0);
  });

  it('gives the onboarding pipeline the same forgiving search, by index', async () => {
    const reply = await search('/api/onboarding/cases', 'Clamrt');
    expect(reply.names.sort()).toEqual(['Clamart', 'Clamart Habitat', 'Mairie de Clamart']);
    await expectIndexed(reply.statements, /onboarding_case c/, true);
    expect((await search('/api/onboarding/cases', 'ccas bezier')).names).toEqual(['CCAS de Béziers']);
  });
});
