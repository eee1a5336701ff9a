import SwaggerParser from '@apidevtools/swagger-parser';
import { AuditLogEntity, TenantEntity } from '@fcplat/db';
import {
  callApi,
  LogCapture,
  fakeSiret,
  laPosteSiret,
  makeClientAdmin,
  makeStaff,
  makeTenant,
  startFakeDirectory,
  type FakeDirectory,
} from '@fcplat/testing';
import { useTestApi } from './api-harness.js';

type Body = Record<string, unknown>;
interface TenantBody {
  id: string;
  siret: string;
  slug: string;
  name: string;
  nameSource: string;
  status: string;
  version: number;
  address: Body | null;
  legalCategory: { code: string; label: string; kind: string } | null;
  directoryWarnings: { code: string; message: string }[];
  directoryCheckedAt: string | null;
  branding: Body;
  technicalContact: Body | null;
  dataRetrievalEnabled: boolean;
  connexionEnabled: boolean;
}
interface PageBody {
  items: TenantBody[];
  total: number;
  page: number;
  pageSize: number;
}

/** A SIRET whose Luhn key is wrong (last digit shifted). */
function luhnBroken(siret: string): string {
  return `${siret.slice(0, 13)}${(Number(siret[13]) + 1) % 10}`;
}

describe('tenants: creation, directory, lists, updates (real HTTP, PostgreSQL, fake directory)', () => {
  let directory: FakeDirectory;
  let agent: string;
  let readOnly: string;

  beforeAll(async () => {
    directory = await startFakeDirectory();
  });

  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture() }, () => ({ BODY_LIMIT_BYTES: '65536', COMPANY_DIRECTORY_URL: directory.url }));
  const post = (body: unknown, auth = agent) => callApi<TenantBody & Body>(platform.api.url, 'POST', '/api/tenants', { auth, body });
  const auditMentioning = (text: string): Promise<number> =>
    platform.dataSource.getRepository(AuditLogEntity).createQueryBuilder('a').where(`CAST(a.changes AS text) LIKE :text`, { text: `%${text}%` }).getCount();
  const auditCount = async (tenantId?: string): Promise<number> =>
    tenantId ? platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId }) : platform.dataSource.getRepository(AuditLogEntity).count();

  beforeAll(async () => {
    agent = (await makeStaff(platform.dataSource, 'onboarding_agent')).authorization;
    readOnly = (await makeStaff(platform.dataSource, 'read_only')).authorization;
  });

  afterAll(async () => {
    await directory.close();
  });

  describe('SIRET validation through the API (French reasons, nothing written)', () => {
    const cases: [string, unknown, RegExp][] = [
      ['wrong length', '1300252650001', /14 chiffres \(13 chiffres saisis\)/],
      ['letters', '1300252650001A', /ni lettre/],
      ['spaces', '130 025 265 00013', /sans espace/],
      ['Luhn failure', luhnBroken(fakeSiret()), /clé de contrôle est incorrecte/],
      ['empty', '', /obligatoire/],
    ];
    it.each(cases)('refuses a SIRET with %s', async (_label, siret, message) => {
      const response = await post({ siret });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'siret', message: expect.stringMatching(message) }] });
      expect(String(response.body.detail)).toMatch(message);
      expect(await platform.dataSource.getRepository(TenantEntity).countBy({ siret: String(siret) })).toBe(0);
      expect(await auditMentioning(String(siret) || 'no-siret')).toBe(0);
    });

    it('refuses a missing SIRET and a SIRET that is not a string', async () => {
      expect((await post({ name: 'Commune sans SIRET' })).body).toMatchObject({ violations: [{ path: 'siret', message: 'champ obligatoire' }] });
      const numeric = await post({ siret: 13002526500013 });
      expect(numeric.status).toBe(400);
      expect(numeric.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'siret' }] });
    });

    it('accepts a valid Luhn SIRET and a La Poste establishment (sum of digits multiple of 5)', async () => {
      const luhn = fakeSiret();
      directory.register({ siret: luhn, name: 'COMMUNE DE LUHNVILLE', legalCategory: '7210' });
      const first = await post({ siret: luhn });
      expect(first.status).toBe(201);
      const poste = laPosteSiret();
      directory.register({ siret: poste, name: 'LA POSTE', legalCategory: '5510' });
      const second = await post({ siret: poste });
      expect(second.status).toBe(201);
      expect(second.body.siret).toBe(poste);
    });
  });

  describe('directory prefill and warnings', () => {
    it('fills name, address and legal category from the directory, derives the slug, audits the creation', async () => {
      const siret = fakeSiret();
      directory.register({ siret, name: 'COMMUNE D’ÉCULLY-LÈS-BOIS', legalCategory: '7210', street: '12 RUE DE LA RÉPUBLIQUE', postalCode: '69130', city: 'ECULLY', communeCode: '69081' });
      const response = await post({ siret, technicalContact: { name: 'Camille Martin', email: 'camille@editeur.test', phone: '+33 6 12 34 56 78' } });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        siret,
        name: 'COMMUNE D’ÉCULLY-LÈS-BOIS',
        nameSource: 'directory',
        status: 'active',
        address: { street: '12 RUE DE LA RÉPUBLIQUE', postalCode: '69130', city: 'ECULLY', communeCode: '69081' },
        legalCategory: { code: '7210', label: 'Commune et commune nouvelle', kind: 'public_administrative' },
        directoryWarnings: [],
        technicalContact: { name: 'Camille Martin', email: 'camille@editeur.test', phone: '+33 6 12 34 56 78' },
        version: 1,
      });
      expect(response.body.slug).toMatch(/^commune-d-ecully-les-bois(-\d+)?$/);
      expect(response.body.directoryCheckedAt).toEqual(expect.any(String));
      expect(directory.queries).toContain(siret);
      const audit = await platform.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ tenantId: response.body.id, action: 'tenant.created' });
      expect(audit).toMatchObject({ actorType: 'api_token', targetType: 'tenant', targetId: response.body.id });
      expect(audit.changes).toMatchObject({ siret: { after: siret }, legalCategoryCode: { after: '7210' } });
    });

    it('warns when the legal category is not a public body (and still creates)', async () => {
      const siret = fakeSiret();
      directory.register({ siret, name: 'CANTINE SERVICES SAS', legalCategory: '5710' });
      const response = await post({ siret });
      expect(response.status).toBe(201);
      expect(response.body.legalCategory).toMatchObject({ code: '5710', kind: 'not_public' });
      expect(response.body.directoryWarnings).toEqual([expect.objectContaining({ code: 'NOT_PUBLIC_BODY', message: expect.stringContaining('n’est pas une personne morale de droit public') })]);
      const stored = await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ siret });
      expect(stored.directoryWarnings.map((w) => w.code)).toEqual(['NOT_PUBLIC_BODY']);
    });

    it('warns about a public body under commercial law, a closed establishment and a ceased unit', async () => {
      const siret = fakeSiret();
      directory.register({ siret, name: 'REGIE DES EAUX', legalCategory: '4140', establishmentState: 'F', unitState: 'C' });
      const response = await post({ siret });
      expect(response.status).toBe(201);
      expect(response.body.directoryWarnings.map((w) => w.code)).toEqual(['PUBLIC_COMMERCIAL_BODY', 'ESTABLISHMENT_CLOSED', 'LEGAL_UNIT_CEASED']);
      expect(response.body.directoryWarnings[1]?.message).toMatch(/est fermé/);
    });

    it('warns when the directory does not know the SIRET (non-diffusible units are absent)', async () => {
      const siret = fakeSiret();
      const response = await post({ siret, name: 'Syndicat intercommunal non diffusible' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'Syndicat intercommunal non diffusible', nameSource: 'manual', legalCategory: null, address: null });
      expect(response.body.directoryWarnings.map((w) => w.code)).toEqual(['DIRECTORY_NOT_FOUND']);
    });

    it('creates anyway with DIRECTORY_UNAVAILABLE when the directory is down, then refreshes later', async () => {
      const siret = fakeSiret();
      directory.register({ siret, name: 'COMMUNE DE REPRISE', legalCategory: '7210', postalCode: '33000', city: 'BORDEAUX' });
      directory.fail(siret, 503);
      const created = await post({ siret });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ nameSource: 'placeholder', legalCategory: null, directoryCheckedAt: null });
      expect(created.body.name).toBe(`Organisme ${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`);
      expect(created.body.directoryWarnings).toEqual([expect.objectContaining({ code: 'DIRECTORY_UNAVAILABLE' })]);

      const stillDown = await callApi(platform.api.url, 'POST', `/api/tenants/${created.body.id}/directory-refresh`, { auth: agent });
      expect(stillDown.status).toBe(503);
      expect(stillDown.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      expect(await auditCount(created.body.id)).toBe(1);

      directory.heal(siret);
      const readOnlyRefresh = await callApi(platform.api.url, 'POST', `/api/tenants/${created.body.id}/directory-refresh`, { auth: readOnly });
      expect(readOnlyRefresh.status).toBe(403);
      const refreshed = await callApi<TenantBody>(platform.api.url, 'POST', `/api/tenants/${created.body.id}/directory-refresh`, { auth: agent });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toMatchObject({
        name: 'COMMUNE DE REPRISE',
        nameSource: 'directory',
        slug: created.body.slug,
        legalCategory: { code: '7210' },
        address: { postalCode: '33000', city: 'BORDEAUX' },
        directoryWarnings: [],
        version: 2,
      });
      const audit = await platform.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ tenantId: created.body.id, action: 'tenant.directory_refreshed' });
      expect(audit.changes).toMatchObject({ name: { before: created.body.name, after: 'COMMUNE DE REPRISE' }, directoryWarnings: { before: ['DIRECTORY_UNAVAILABLE'], after: [] } });
    });
  });

  describe('uniqueness and slugs', () => {
    it('answers 409 naming the SIRET for a duplicate, and writes nothing', async () => {
      const siret = fakeSiret();
      directory.register({ siret, name: 'COMMUNE EN DOUBLE', legalCategory: '7210' });
      const first = await post({ siret });
      expect(first.status).toBe(201);
      const audits = await auditCount(first.body.id);
      const second = await post({ siret, name: 'Autre nom' });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: 'CONFLICT', violations: [{ path: 'siret' }] });
      expect(String(second.body.detail)).toContain(`${siret.slice(0, 3)} ${siret.slice(3, 6)}`);
      expect(await platform.dataSource.getRepository(TenantEntity).countBy({ siret })).toBe(1);
      expect(await auditCount(first.body.id)).toBe(audits);
    });

    it('derives unique slugs with a numeric suffix, accepts a given slug and refuses a taken or malformed one', async () => {
      const base = `mairie-de-saint-eloi-${Date.now().toString(36)}`;
      const name = base.replace(/-/g, ' ').replace('saint eloi', 'Saint-Éloi');
      const a = await post({ siret: fakeSiret(), name });
      const b = await post({ siret: fakeSiret(), name });
      expect(a.body.slug).toBe(base);
      expect(b.body.slug).toBe(`${base}-2`);
      const given = await post({ siret: fakeSiret(), name: 'Peu importe', slug: `${base}-portail` });
      expect(given.status).toBe(201);
      expect(given.body.slug).toBe(`${base}-portail`);
      const taken = await post({ siret: fakeSiret(), slug: `${base}-portail` });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ violations: [{ path: 'slug' }] });
      for (const slug of ['Majuscules', 'avec espace', '-tiret', 'é', 'a', 'api']) {
        const bad = await post({ siret: fakeSiret(), slug });
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'slug' }] });
      }
      const bySlug = await callApi<TenantBody>(platform.api.url, 'GET', `/api/tenants/by-slug/${base}-2`, { auth: readOnly });
      expect(bySlug.status).toBe(200);
      expect(bySlug.body.id).toBe(b.body.id);
    });
  });

  describe('invalid input writes nothing', () => {
    it('refuses unknown fields, bad contacts, an oversized body and a non-JSON body', async () => {
      const siret = fakeSiret();
      const unknown = await post({ siret, name: 'X', isAdmin: true });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ violations: [{ path: '', message: 'champ(s) inconnu(s) : isAdmin' }] });
      const contact = await post({ siret, technicalContact: { name: 'A', email: 'pas-un-email' } });
      expect(contact.status).toBe(400);
      expect(contact.body).toMatchObject({ violations: [{ path: 'technicalContact.email', message: 'adresse e-mail invalide' }] });
      const huge = await post({ siret, name: 'x'.repeat(70_000) });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      const text = await callApi(platform.api.url, 'POST', '/api/tenants', { auth: agent, rawBody: `siret=${siret}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(text.status).toBe(415);
      expect(await platform.dataSource.getRepository(TenantEntity).countBy({ siret })).toBe(0);
      expect(await auditMentioning(siret)).toBe(0);
    });

    it('refuses an unknown status on PATCH with nothing written', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const response = await callApi(platform.api.url, 'PATCH', `/api/tenants/${tenant.id}`, { auth: agent, body: { version: 1, status: 'closed' } });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ violations: [{ path: 'status', message: 'valeur non autorisée (attendu : active, suspended)' }] });
      expect(await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: tenant.id })).toMatchObject({ status: 'active', version: 1 });
      expect(await auditCount(tenant.id)).toBe(0);
    });
  });

  describe('list: server-side filters, sorting and pagination', () => {
    const tag = `Zlist${Date.now().toString(36)}`;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      const rows: [string, string, 'active' | 'suspended', boolean, string][] = [
        ['alpha', `Commune ${tag} Alpha`, 'active', false, '7210'],
        ['bravo', `Établissement ${tag} Bravo`, 'suspended', true, '7361'],
        ['charlie', `CCAS ${tag} Charlie`, 'active', true, '7361'],
        ['delta', `Département ${tag} Delta`, 'active', false, '7220'],
      ];
      for (const [key, name, status, dataRetrievalEnabled, code] of rows) {
        const tenant = await makeTenant(platform.dataSource, { name, status, dataRetrievalEnabled, legalCategoryCode: code });
        ids[key] = tenant.id;
      }
    });
    const list = (query: string, auth = readOnly) => callApi<PageBody>(platform.api.url, 'GET', `/api/tenants?${query}`, { auth });

    it('searches by name ignoring case and accents, sorted by name', async () => {
      const response = await list(`search=${encodeURIComponent(tag.toLowerCase())}&sort=name`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(4);
      // folded names: ccas…, commune…, departement…, etablissement…
      expect(response.body.items.map((t) => t.id)).toEqual([ids.charlie, ids.alpha, ids.delta, ids.bravo]);
      const accents = await list(`search=${encodeURIComponent(`ÉTABLISSEMENT ${tag}`)}`);
      expect(accents.body.items.map((t) => t.id)).toEqual([ids.bravo]);
    });

    it('filters by status, data retrieval and legal category prefix; sorts descending; paginates', async () => {
      const search = `search=${encodeURIComponent(tag)}`;
      expect((await list(`${search}&status=suspended`)).body.items.map((t) => t.id)).toEqual([ids.bravo]);
      expect((await list(`${search}&dataRetrievalEnabled=true&sort=name`)).body.items.map((t) => t.id)).toEqual([ids.charlie, ids.bravo]);
      expect((await list(`${search}&legalCategory=722`)).body.items.map((t) => t.id)).toEqual([ids.delta]);
      expect((await list(`${search}&legalCategory=7361&status=active`)).body.items.map((t) => t.id)).toEqual([ids.charlie]);
      const desc = await list(`${search}&sort=name&order=desc`);
      expect(desc.body.items.map((t) => t.id)).toEqual([ids.bravo, ids.delta, ids.alpha, ids.charlie]);
      const page2 = await list(`${search}&sort=createdAt&pageSize=3&page=2`);
      expect(page2.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(page2.body.items.map((t) => t.id)).toEqual([ids.delta]);
    });

    it('finds a tenant by the start of its SIRET, and sorts by SIRET', async () => {
      const tenant = await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: ids.alpha as string });
      const response = await list(`search=${tenant.siret.slice(0, 12)}`);
      expect(response.body.items.map((t) => t.id)).toContain(ids.alpha);
      const sorted = await list(`search=${encodeURIComponent(tag)}&sort=siret`);
      const sirets = sorted.body.items.map((t) => t.siret);
      expect(sirets).toEqual([...sirets].sort());
    });

    it('refuses unknown query parameters and bad values', async () => {
      for (const query of ['colour=red', 'sort=password', 'pageSize=1000', 'status=closed', 'legalCategory=abc', 'dataRetrievalEnabled=yes']) {
        const response = await list(query);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });
  });

  describe('updates: optimistic concurrency, roles, audit', () => {
    it('updates with the current version, refuses a stale one with 409, audits before/after', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const first = await callApi<TenantBody>(platform.api.url, 'PATCH', `/api/tenants/${tenant.id}`, {
        auth: agent,
        body: { version: 1, name: 'Mairie renommée', status: 'suspended', connexionEnabled: false, administrativeContact: { name: 'Dominique', email: 'dgs@mairie.test' } },
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ name: 'Mairie renommée', status: 'suspended', connexionEnabled: false, version: 2 });
      const stale = await callApi(platform.api.url, 'PATCH', `/api/tenants/${tenant.id}`, { auth: agent, body: { version: 1, name: 'Autre' } });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      expect((await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: tenant.id })).name).toBe('Mairie renommée');
      const audits = await platform.dataSource.getRepository(AuditLogEntity).findBy({ tenantId: tenant.id, action: 'tenant.updated' });
      expect(audits).toHaveLength(1);
      expect(audits[0]?.changes).toEqual({
        name: { before: tenant.name, after: 'Mairie renommée' },
        status: { before: 'active', after: 'suspended' },
        connexionEnabled: { before: true, after: false },
        administrativeContact: { before: null, after: { name: 'Dominique', email: 'dgs@mairie.test' } },
      });
      const noop = await callApi<TenantBody>(platform.api.url, 'PATCH', `/api/tenants/${tenant.id}`, { auth: agent, body: { version: 2, name: 'Mairie renommée' } });
      expect(noop.body.version).toBe(2);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id, action: 'tenant.updated' })).toBe(1);
    });

    it('lets read-only staff read but not write (403), and nothing is written', async () => {
      const tenant = await makeTenant(platform.dataSource);
      expect((await callApi(platform.api.url, 'GET', `/api/tenants/${tenant.id}`, { auth: readOnly })).status).toBe(200);
      const patch = await callApi(platform.api.url, 'PATCH', `/api/tenants/${tenant.id}`, { auth: readOnly, body: { version: 1, name: 'Non' } });
      expect(patch.status).toBe(403);
      const create = await post({ siret: fakeSiret() }, readOnly);
      expect(create.status).toBe(403);
      expect(await auditCount(tenant.id)).toBe(0);
      expect((await callApi(platform.api.url, 'GET', '/api/tenants')).status).toBe(401);
    });

    it('lets a client administrator edit contacts, branding and data retrieval of their tenant only', async () => {
      const own = await makeTenant(platform.dataSource);
      const { cookie } = await makeClientAdmin(platform.dataSource, own.id);
      const ok = await callApi<TenantBody>(platform.api.url, 'PATCH', `/api/tenants/${own.id}`, {
        auth: cookie,
        body: {
          version: 1,
          dataRetrievalEnabled: true,
          technicalContact: { name: 'Service informatique', email: 'si@mairie.test' },
          branding: { portalName: 'Mes démarches', logoUrl: 'https://mairie.test/logo.svg', primaryColor: '#000091', secondaryColor: '#E1000F' },
        },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ dataRetrievalEnabled: true, branding: { portalName: 'Mes démarches', primaryColor: '#000091' }, version: 2 });
      const audit = await platform.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ tenantId: own.id, action: 'tenant.updated' });
      expect(audit).toMatchObject({ actorType: 'client_admin' });
      const removeLogo = await callApi<TenantBody>(platform.api.url, 'PATCH', `/api/tenants/${own.id}`, { auth: cookie, body: { version: 2, branding: { logoUrl: null } } });
      expect(removeLogo.body.branding).toEqual({ portalName: 'Mes démarches', primaryColor: '#000091', secondaryColor: '#E1000F' });
      const forbidden = await callApi(platform.api.url, 'PATCH', `/api/tenants/${own.id}`, { auth: cookie, body: { version: 3, name: 'Nouveau nom', status: 'suspended' } });
      expect(forbidden.status).toBe(403);
      expect(String((forbidden.body as Body).detail)).toContain('name, status');
      for (const branding of [{ logoUrl: 'http://mairie.test/logo.svg' }, { primaryColor: 'blue' }, { primaryColor: '#00009' }, { font: 'Comic' }]) {
        const bad = await callApi(platform.api.url, 'PATCH', `/api/tenants/${own.id}`, { auth: cookie, body: { version: 3, branding } });
        expect(bad.status).toBe(400);
      }
      expect((await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: own.id })).version).toBe(3);
    });
  });

  describe('client administrator isolation (SR-20)', () => {
    it('gives 404 for another tenant by id, by slug, in lists and searches, and on every write', async () => {
      const a = await makeTenant(platform.dataSource);
      const b = await makeTenant(platform.dataSource, { name: `Commune B ${Date.now().toString(36)}` });
      const { cookie } = await makeClientAdmin(platform.dataSource, a.id);
      expect((await callApi(platform.api.url, 'GET', `/api/tenants/${a.id}`, { auth: cookie })).status).toBe(200);
      expect((await callApi(platform.api.url, 'GET', `/api/tenants/by-slug/${a.slug}`, { auth: cookie })).status).toBe(200);
      const other = [
        await callApi(platform.api.url, 'GET', `/api/tenants/${b.id}`, { auth: cookie }),
        await callApi(platform.api.url, 'GET', `/api/tenants/by-slug/${b.slug}`, { auth: cookie }),
        await callApi(platform.api.url, 'PATCH', `/api/tenants/${b.id}`, { auth: cookie, body: { version: 1, dataRetrievalEnabled: true } }),
        await callApi(platform.api.url, 'GET', `/api/tenants/00000000-0000-4000-8000-000000000000`, { auth: cookie }),
        await callApi(platform.api.url, 'GET', `/api/tenants/not-a-uuid`, { auth: cookie }),
      ];
      for (const response of other) {
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ code: 'NOT_FOUND', detail: 'Organisme introuvable.' });
      }
      const listed = await callApi<PageBody>(platform.api.url, 'GET', `/api/tenants?pageSize=100`, { auth: cookie });
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: a.id }] });
      const searched = await callApi<PageBody>(platform.api.url, 'GET', `/api/tenants?search=${encodeURIComponent(b.name)}`, { auth: cookie });
      expect(searched.body).toMatchObject({ total: 0, items: [] });
      expect((await callApi(platform.api.url, 'POST', '/api/tenants', { auth: cookie, body: { siret: fakeSiret() } })).status).toBe(403);
      expect((await platform.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: b.id })).dataRetrievalEnabled).toBe(false);
    });
  });

  it('documents the tenant endpoints in a valid OpenAPI document', async () => {
    const response = await fetch(`${platform.api.url}/api/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/tenants',
        '/api/tenants/{id}',
        '/api/tenants/by-slug/{slug}',
        '/api/tenants/{id}/directory-refresh',
        '/api/tenants/{id}/habilitations',
        '/api/tenants/{id}/habilitations/{product}',
        '/api/tenants/{id}/habilitations/{product}/history',
        '/api/webhooks/datapass',
        '/api/tenants/{id}/credentials',
        '/api/tenants/{id}/credentials/franceconnect/{environment}',
        '/api/tenants/{id}/credentials/api-particulier/{environment}',
        '/api/tenants/{id}/franceconnect/uris',
      ]),
    );
    const listParameters = (document.paths['/api/tenants']?.get?.parameters ?? []).map((p) => p.name);
    expect(listParameters).toEqual(expect.arrayContaining(['page', 'pageSize', 'sort', 'order', 'status', 'search', 'legalCategory', 'dataRetrievalEnabled']));
  });
});
