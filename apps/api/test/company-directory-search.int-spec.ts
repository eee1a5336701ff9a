/**
 * The company directory search by name of the « new client » flow (issue 16), against the sandbox
 * company directory over HTTP, and against a directory that is down.
 */
import type { Server } from 'node:http';
import { callApi, LogCapture, makeClientAdmin, makeStaff, makeTenant, type TestStaff } from '@fcplat/testing';
import { rechercheEntreprisesService } from '../../sandbox/src/services/recherche-entreprises.js';
import { serveOnLoopback, useTestApi } from './api-harness.js';

type Json = Record<string, unknown>;
const CLAMART = '21920023500014';

describe('GET /api/company-directory?q=…', () => {
  let directory: Server;
  let directoryUrl: string;
  let searches = 0;
  let down = false;
  let staff: TestStaff;

  beforeAll(async () => {
    const service = rechercheEntreprisesService();
    ({ server: directory, base: directoryUrl } = await serveOnLoopback((req, res) => {
      searches += 1;
      if (down) {
        res.writeHead(503).end();
        return;
      }
      void service.handler(req, res);
    }));
  });

  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture() }, () => ({ COMPANY_DIRECTORY_URL: directoryUrl }));

  beforeAll(async () => {
    staff = await makeStaff(platform.dataSource, 'onboarding_agent');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => directory.close(() => resolve()));
  });

  const searchFor = (q: string, auth = staff.authorization) => callApi<Json>(platform.api.url, 'GET', `/api/company-directory?q=${encodeURIComponent(q)}`, { auth });

  it('finds « mairie de clamart » by name, with what creating it would record, and the client that already has it', async () => {
    // The run's database is shared with other files (the SIRET preview's creates this client too).
    const [existing] = (await platform.dataSource.query(`SELECT id, name FROM tenant WHERE siret = $1`, [CLAMART])) as { id: string; name: string }[];
    const found = await searchFor('mairie de clamart');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      available: true,
      results: [
        {
          siret: CLAMART,
          name: 'COMMUNE DE CLAMART',
          legalCategoryCode: '7210',
          legalCategoryLabel: expect.stringMatching(/[Cc]ommune/),
          warnings: [],
          existingTenant: existing ?? null,
          address: { postalCode: '92140', city: 'CLAMART' },
        },
      ],
    });
    const tenant = existing ?? (await makeTenant(platform.dataSource, { siret: CLAMART, name: 'Commune de Clamart' }));
    const again = await searchFor('mairie de clamart');
    expect((again.body['results'] as Json[])[0]).toMatchObject({ siret: CLAMART, existingTenant: { id: tenant.id, name: tenant.name } });
    // A private company is found too, with the warning creation would record.
    const octo = await searchFor('octo technology');
    expect((octo.body['results'] as Json[])[0]).toMatchObject({ name: 'OCTO-TECHNOLOGY', warnings: [expect.objectContaining({ code: 'NOT_PUBLIC_BODY' })] });
    expect(await searchFor('zanzibar plage')).toMatchObject({ status: 200, body: { available: true, results: [] } });
  });

  it('refuses fewer than 3 characters in French without calling the directory, and only staff who may create clients may search', async () => {
    const before = searches;
    const short = await searchFor('ab');
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(/q : au moins 3 caractère/);
    expect(searches).toBe(before);
    const readOnly = await makeStaff(platform.dataSource, 'read_only');
    expect((await searchFor('mairie de clamart', readOnly.authorization)).status).toBe(403);
    const admin = await makeClientAdmin(platform.dataSource, (await makeTenant(platform.dataSource)).id);
    expect((await searchFor('mairie de clamart', admin.cookie)).status).toBe(403);
    expect(searches).toBe(before);
  });

  it('answers « unavailable » with no results when the directory is down (the client can still be created by SIRET)', async () => {
    down = true;
    try {
      const answer = await searchFor('mairie de clamart');
      expect(answer).toMatchObject({ status: 200, body: { available: false, results: [] } });
    } finally {
      down = false;
    }
  });
});
