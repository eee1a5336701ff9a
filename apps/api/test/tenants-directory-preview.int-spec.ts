/** The SIRET preview of the « new client » flow, against the sandbox company directory over HTTP. */
import type { Server } from 'node:http';
import { callApi, LogCapture, makeClientAdmin, makeStaff, makeTenant, type TestStaff } from '@fcplat/testing';
import { rechercheEntreprisesService } from '../../sandbox/src/services/recherche-entreprises.js';
import { serveOnLoopback, useTestApi } from './api-harness.js';

type Json = Record<string, unknown>;
const CLAMART = '21920023500014';

describe('GET /api/company-directory/{siret}', () => {
  let directory: Server;
  let directoryUrl: string;
  let staff: TestStaff;

  beforeAll(async () => {
    const service = rechercheEntreprisesService();
    ({ server: directory, base: directoryUrl } = await serveOnLoopback((req, res) => service.handler(req, res)));
  });

  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture() }, () => ({ COMPANY_DIRECTORY_URL: directoryUrl }));

  beforeAll(async () => {
    staff = await makeStaff(platform.dataSource, 'onboarding_agent');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => directory.close(() => resolve()));
  });

  it('shows what the directory says of a public body, and which client already has the SIRET', async () => {
    const preview = await callApi<Json>(platform.api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: staff.authorization });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ siret: CLAMART, available: true, found: true, name: expect.stringMatching(/CLAMART/), legalCategoryCode: '7210', warnings: [] });
    const existing = await platform.dataSource.query(`SELECT id, name FROM tenant WHERE siret = $1`, [CLAMART]) as { id: string; name: string }[];
    const tenant = existing[0] ?? (await makeTenant(platform.dataSource, { siret: CLAMART, name: 'Commune de Clamart' }));
    const again = await callApi<Json>(platform.api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: staff.authorization });
    expect(again.body['existingTenant']).toEqual({ id: tenant.id, name: tenant.name });
  });

  it('says why a SIRET is invalid, and only to staff who may create clients', async () => {
    const invalid = await callApi<Json>(platform.api.url, 'GET', '/api/company-directory/21920023500015', { auth: staff.authorization });
    expect(invalid.status).toBe(400);
    expect(invalid.body['detail']).toMatch(/clé de contrôle/);
    const readOnly = await makeStaff(platform.dataSource, 'read_only');
    expect((await callApi(platform.api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: readOnly.authorization })).status).toBe(403);
    const admin = await makeClientAdmin(platform.dataSource, (await makeTenant(platform.dataSource)).id);
    expect((await callApi(platform.api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: admin.cookie })).status).toBe(403);
  });
});
