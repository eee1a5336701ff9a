/**
 * The round trips of the hot paths, counted (issue 15) — a citizen's FranceConnect login, and the
 * console guard's API-token lookup: the API talks to
 * PostgreSQL through a counting proxy (`startPgStatementCounter`), so every statement it sends —
 * whichever client sends it, `START TRANSACTION` and `COMMIT` included — is seen. A complete login
 * is the portal's login route, the callback and the first `/me`; the provider's own steps touch
 * no database of ours. A regression in round trips fails here, not in a benchmark.
 */
import type { TenantEntity } from '@fcplat/db';
import type { PlatformInfrastructure } from '@fcplat/queue';
import {
  CookieJarBrowser,
  connectTenantToSandboxFranceConnect,
  franceConnectJourney,
  freePort,
  locationOf,
  makeStaff,
  makeTenant,
  type PgStatementCounter,
  type ScratchDatabase,
} from '@fcplat/testing';
import type { ApiApp } from '../src/app.js';
import { useProxiedApi, useSandboxFranceConnect } from './api-harness.js';

/** The budget of a complete login of a known citizen (issue 15: ≤ 8). */
const MAX_STATEMENTS_PER_LOGIN = 8;

describe('statements of a FranceConnect login', () => {
  let scratch: ScratchDatabase;
  let counter: PgStatementCounter;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  const sandboxBase = useSandboxFranceConnect();
  let tenant: TenantEntity;
  let staffAuthorization: string;
  useProxiedApi((started) => ({ scratch, proxy: counter, infrastructure, api } = started), {
    env: async () => {
      const port = await freePort();
      return { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
    },
  });

  beforeAll(async () => {
    tenant = await makeTenant(scratch.dataSource);
    const staff = await makeStaff(scratch.dataSource, 'admin');
    staffAuthorization = staff.authorization;
    await connectTenantToSandboxFranceConnect({ apiUrl: api.url, sandboxBase: sandboxBase(), tenant, authorization: staff.authorization });
  });

  /** One complete login in a fresh browser: statements of the login route + callback, and of `/me`. */
  async function login(loginName: string): Promise<{ portal: number; me: number; texts: string[] }> {
    const browser = new CookieJarBrowser();
    let portal = 0;
    let mark = counter.count();
    const first = mark;
    const journey = await franceConnectJourney(browser, {
      apiUrl: api.url,
      sandboxBase: sandboxBase(),
      slug: tenant.slug,
      login: loginName,
      // Statements are counted while the portal works, not while the provider does.
      between: () => {
        if (mark < 0) {
          mark = counter.count();
        } else {
          portal += counter.count() - mark;
          mark = -1;
        }
      },
    });
    portal += counter.count() - mark;
    expect(locationOf(journey.callback, api.url).pathname).toBe(`/t/${tenant.slug}/profil`);
    const beforeMe = counter.count();
    const me = await browser.get(`${api.url}/api/portal/${tenant.slug}/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ franceConnectLinked: true });
    return { portal, me: counter.count() - beforeMe, texts: counter.textsSince(first) };
  }

  it(`logs a known citizen in with at most ${MAX_STATEMENTS_PER_LOGIN} statements, /me included`, async () => {
    await login('test'); // sign-up: the account is created (not the hot path)
    await login('test'); // caches warm
    const known = await login('test');
    const total = known.portal + known.me;
    if (total > MAX_STATEMENTS_PER_LOGIN) throw new Error(`${total} statements (login+callback ${known.portal}, /me ${known.me}):\n${known.texts.join('\n')}`);
    expect(known.me).toBeLessThanOrEqual(2);
  });

  it('authenticates a known API token without reading api_token (the guard’s cache)', async () => {
    const me = async (): Promise<string[]> => {
      const before = counter.count();
      const response = await fetch(`${api.url}/api/auth/me`, { headers: { authorization: staffAuthorization } });
      expect(response.status).toBe(200);
      return counter.textsSince(before);
    };
    await me(); // the token is looked up once (and its last use written)
    const later = [...(await me()), ...(await me())];
    expect(later.filter((sql) => /\bapi_token\b/.test(sql))).toEqual([]);
  });

  it('counts what it is sent: a transaction of one statement is three', async () => {
    const before = counter.count();
    await infrastructure.dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1');
    });
    expect(counter.count() - before).toBe(3);
  });
});
