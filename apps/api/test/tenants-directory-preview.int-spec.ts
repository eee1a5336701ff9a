/** The SIRET preview of the « new client » flow, against the sandbox company directory over HTTP. */
import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { callApi, LogCapture, makeClientAdmin, makeStaff, makeTenant, type TestStaff } from '@fcplat/testing';
import { rechercheEntreprisesService } from '../../sandbox/src/services/recherche-entreprises.js';
import type { ApiApp } from '../src/app.js';
import { serveOnLoopback, startTestApi, stopTestApi } from './api-harness.js';

type Json = Record<string, unknown>;
const CLAMART = '21920023500014';

describe('GET /api/company-directory/{siret}', () => {
  let dataSource: DataSource;
  let directory: Server;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let staff: TestStaff;

  beforeAll(async () => {
    const service = rechercheEntreprisesService();
    let directoryUrl: string;
    ({ server: directory, base: directoryUrl } = await serveOnLoopback((req, res) => service.handler(req, res)));
    ({ dataSource, infrastructure, api } = await startTestApi({ heartbeat: false, logDestination: new LogCapture() }, { COMPANY_DIRECTORY_URL: directoryUrl }));
    staff = await makeStaff(dataSource, 'onboarding_agent');
  });
  afterAll(async () => {
    await stopTestApi({ api, infrastructure });
    await new Promise<void>((resolve) => directory.close(() => resolve()));
    await dataSource.destroy();
  });

  it('shows what the directory says of a public body, and which client already has the SIRET', async () => {
    const preview = await callApi<Json>(api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: staff.authorization });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ siret: CLAMART, available: true, found: true, name: expect.stringMatching(/CLAMART/), legalCategoryCode: '7210', warnings: [] });
    const existing = await dataSource.query(`SELECT id, name FROM tenant WHERE siret = $1`, [CLAMART]) as { id: string; name: string }[];
    const tenant = existing[0] ?? (await makeTenant(dataSource, { siret: CLAMART, name: 'Commune de Clamart' }));
    const again = await callApi<Json>(api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: staff.authorization });
    expect(again.body['existingTenant']).toEqual({ id: tenant.id, name: tenant.name });
  });

  it('says why a SIRET is invalid, and only to staff who may create clients', async () => {
    const invalid = await callApi<Json>(api.url, 'GET', '/api/company-directory/21920023500015', { auth: staff.authorization });
    expect(invalid.status).toBe(400);
    expect(invalid.body['detail']).toMatch(/clé de contrôle/);
    const readOnly = await makeStaff(dataSource, 'read_only');
    expect((await callApi(api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: readOnly.authorization })).status).toBe(403);
    const admin = await makeClientAdmin(dataSource, (await makeTenant(dataSource)).id);
    expect((await callApi(api.url, 'GET', `/api/company-directory/${CLAMART}`, { auth: admin.cookie })).status).toBe(403);
  });
});
