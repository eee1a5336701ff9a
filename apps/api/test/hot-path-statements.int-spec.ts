/**
 * The round trips of the hot paths, counted (issue 15) — a citizen's FranceConnect login, and the
 * console guard's API-token lookup: the API talks to
 * PostgreSQL through a counting proxy (`startPgStatementCounter`), so every statement it sends —
 * whichever client sends it, `START TRANSACTION` and `COMMIT` included — is seen; and to a Redis of
 * its own, whose `MONITOR` shows every command of the rate limits' connection. A complete login
 * is the portal's login route, the callback and the first `/me`; the provider's own steps touch
 * no database of ours. A regression in round trips fails here, not in a benchmark.
 */
import { Redis } from 'ioredis';
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
  startScratchRedis,
  type PgStatementCounter,
  type ScratchDatabase,
  type ScratchRedis,
} from '@fcplat/testing';
import type { ApiApp } from '../src/app.js';
import { useProxiedApi, useSandboxFranceConnect } from './api-harness.js';

/** The budget of a complete login of a known citizen (issue 15: ≤ 8). */
const MAX_STATEMENTS_PER_LOGIN = 8;
/** Round trips to the rate limits' store per login: one per FranceConnect route (login, callback), both counters at once. */
const MAX_LIMIT_ROUND_TRIPS_PER_LOGIN = 2;
/** The connection name of the API's rate-limit store (infrastructure/shared-limits.ts). */
const LIMITS_CONNECTION = 'fcplat-api-limits';

/**
 * Every command a Redis receives, by client address (`MONITOR`), and the address of the API's
 * rate-limit connection. `settle()` waits until the monitor has seen everything sent before it.
 */
async function monitorRedis(url: string): Promise<{ commandsOf(address: string): string[][]; limitsAddress(): Promise<string>; settle(): Promise<void>; close(): void }> {
  const seen: { source: string; args: string[] }[] = [];
  const control = new Redis(url);
  // ioredis's monitor() opens a connection of its own in MONITOR mode; `control` stays usable.
  const monitor = await control.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ source, args }));
  let marks = 0;
  return {
    commandsOf: (address) => seen.filter((c) => c.source === address).map((c) => c.args),
    async limitsAddress() {
      const list = (await control.client('LIST')) as string;
      const line = list.split('\n').find((l) => l.includes(` name=${LIMITS_CONNECTION} `));
      const address = line?.match(/ addr=(\S+) /)?.[1];
      if (!address) throw new Error(`no ${LIMITS_CONNECTION} connection in:\n${list}`);
      return address;
    },
    async settle() {
      const mark = `settle-${(marks += 1)}`;
      await control.echo(mark);
      const deadline = Date.now() + 5_000;
      while (!seen.some((c) => c.args[0]?.toLowerCase() === 'echo' && c.args[1] === mark)) {
        if (Date.now() > deadline) throw new Error('MONITOR did not see the mark');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close() {
      control.disconnect();
      monitor.disconnect();
    },
  };
}

describe('statements of a FranceConnect login', () => {
  let scratch: ScratchDatabase;
  let counter: PgStatementCounter;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  const sandboxBase = useSandboxFranceConnect();
  let tenant: TenantEntity;
  let staffAuthorization: string;
  let redis: ScratchRedis;
  let redisMonitor: Awaited<ReturnType<typeof monitorRedis>>;
  // Before the API starts: its Redis (queue and rate limits) is this one, watched by MONITOR.
  beforeAll(async () => {
    redis = await startScratchRedis();
    redisMonitor = await monitorRedis(redis.url);
  });
  useProxiedApi((started) => ({ scratch, proxy: counter, infrastructure, api } = started), {
    env: async () => {
      const port = await freePort();
      return { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, REDIS_URL: redis.url };
    },
  });
  // After the API's own afterAll (Jest runs them in declaration order): its queue closes on a live Redis.
  afterAll(async () => {
    redisMonitor?.close();
    await redis?.stop();
  });

  beforeAll(async () => {
    tenant = await makeTenant(scratch.dataSource);
    const staff = await makeStaff(scratch.dataSource, 'admin');
    staffAuthorization = staff.authorization;
    await connectTenantToSandboxFranceConnect({ apiUrl: api.url, sandboxBase: sandboxBase(), tenant, authorization: staff.authorization });
  });

  /** One complete login in a fresh browser: statements of the login route + callback, and of `/me`; the rate limits' Redis commands. */
  async function login(loginName: string): Promise<{ portal: number; me: number; texts: string[]; limitCommands: string[][] }> {
    const limits = await redisMonitor.limitsAddress();
    await redisMonitor.settle();
    const commandsBefore = redisMonitor.commandsOf(limits).length;
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
    await redisMonitor.settle();
    return { portal, me: counter.count() - beforeMe, texts: counter.textsSince(first), limitCommands: redisMonitor.commandsOf(limits).slice(commandsBefore) };
  }

  it(`logs a known citizen in with at most ${MAX_STATEMENTS_PER_LOGIN} statements, /me included`, async () => {
    await login('test'); // sign-up: the account is created (not the hot path)
    await login('test'); // caches warm
    const known = await login('test');
    const total = known.portal + known.me;
    if (total > MAX_STATEMENTS_PER_LOGIN) throw new Error(`${total} statements (login+callback ${known.portal}, /me ${known.me}):\n${known.texts.join('\n')}`);
    expect(known.me).toBeLessThanOrEqual(2);
  });

  it(`counts a login on the rate limits in ${MAX_LIMIT_ROUND_TRIPS_PER_LOGIN} round trips to Redis (per IP and per tenant at once)`, async () => {
    await login('test');
    const known = await login('test');
    const summary = known.limitCommands.map((args) => args.slice(0, 2).join(' ')).join('\n');
    if (known.limitCommands.length > MAX_LIMIT_ROUND_TRIPS_PER_LOGIN) throw new Error(`${known.limitCommands.length} commands on the limits' connection:\n${summary}`);
    // Each is the script counting both keys (the IP's, then the tenant's).
    for (const args of known.limitCommands) expect([args[0]?.toLowerCase(), args[2]]).toEqual(['evalsha', '2']);
    expect(known.limitCommands).toHaveLength(MAX_LIMIT_ROUND_TRIPS_PER_LOGIN);
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
