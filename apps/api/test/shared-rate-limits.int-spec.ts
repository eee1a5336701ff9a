/**
 * The login, sign-up, FranceConnect and password-reset budgets are shared by every API replica
 * (issue 14, item 6): several Nest applications in this process, each with its own
 * infrastructure (database pool, queue connections, limit store) and HTTP port, on one
 * configuration — the same database, Redis and queue prefix, as replicas behind a load balancer.
 * Attempts made on one replica count on the others, a restart keeps the counts, a flood of
 * distinct keys evicts no live counter; with Redis (production) and with PostgreSQL (the store of
 * the embedded mode). When Redis is down the limited routes fail closed: a quick 503.
 *
 * Against the former in-memory limiters (commit 2bae39e) this file fails: the cross-replica
 * attempts were answered as if nothing had happened (console login statuses on A then B
 * [401, 401, 401, 401, 401, 401] instead of [401, 401, 401, 401, 401, 429]), a new replica
 * started from zero, and after 12,000 distinct keys the blocked IP was free again.
 */
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { freePort, makeTenant, migratedTestDataSource, startScratchRedis, testPlatformConfig, type ScratchRedis } from '@fcplat/testing';
import { startStandaloneMailSink, type StandaloneMailSink } from '../../sandbox/src/mail-sink.js';
import { PortalRateLimiter, type PortalLimits } from '../src/portal/rate-limits.js';
import { startApiProcess, type ApiProcess } from './api-harness.js';
import { goodPassword, portalCall, uniqueEmail, type CallOptions, type PortalReply } from './portal-http.js';

const MINUTE = 60_000;
/** Tight budgets, the same on every replica (each replica holds its own copy of the budgets, as in production). */
const TEST_LIMITS: Partial<PortalLimits> = {
  franceConnectPerIp: { max: 3, windowMs: 5 * MINUTE },
  franceConnectPerTenant: { max: 1_000_000, windowMs: 5 * MINUTE },
  signupPerIp: { max: 2, windowMs: 60 * MINUTE },
};
/** More distinct keys than the former in-memory limiter kept (10,000) before dropping live ones. */
const FLOOD_KEYS = 12_000;

/** One more API replica on `config` (same database, Redis and prefix), on a port of its own. */
async function startReplica(config: PlatformConfig): Promise<ApiProcess> {
  const replica = await startApiProcess({ ...config, http: { ...config.http, port: await freePort() } });
  replica.api.app.get(PortalRateLimiter).configure(TEST_LIMITS);
  return replica;
}

let ipCounter = 0;
/** A client address of its own for each scenario (TRUST_PROXY_HOPS=1). */
const newIp = (): string => `198.18.${Math.floor((ipCounter += 1) / 250)}.${ipCounter % 250}`;

/** How many counters of the portal the deployment's store holds (proves which store the replicas counted in). */
async function storedPortalCounters(config: PlatformConfig, dataSource: DataSource): Promise<number> {
  const pattern = `${config.queue.prefix}:limits:portal:`;
  if (config.queue.backend === 'postgres') {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM auth_rate_limit WHERE starts_with(key, $1)`, [pattern])) as { n: number }[];
    return row?.n ?? 0;
  }
  const redis = new Redis(config.queue.redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${pattern}*`, 'COUNT', 1_000);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    return n;
  } finally {
    redis.disconnect();
  }
}

const location = (reply: PortalReply): URL => new URL(reply.headers.get('location') ?? '', 'http://portail.test');

describe.each([
  ['Redis', {}],
  ['PostgreSQL (embedded mode)', { QUEUE_BACKEND: 'postgres' }],
] as const)('rate limits shared by every API replica, store: %s', (_label, backendEnv) => {
  let sink: StandaloneMailSink;
  let dataSource: DataSource;
  let config: PlatformConfig;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    sink = await startStandaloneMailSink();
    dataSource = await migratedTestDataSource();
    config = await testPlatformConfig({ SMTP_URL: sink.smtpUrl, TRUST_PROXY_HOPS: '1', ...backendEnv });
    a = await startReplica(config);
    b = await startReplica(config);
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dataSource?.destroy();
    await sink?.stop();
  });

  const call = (replica: ApiProcess, ip: string, method: string, path: string, options: CallOptions = {}): Promise<PortalReply> =>
    portalCall(replica.api.url, method, path, { publicUrl: config.http.publicUrl, ...options, headers: { 'x-forwarded-for': ip, ...options.headers } });

  /** The scenarios' addresses and e-mails, reused after the restart. */
  const consoleSource = { ip: newIp(), email: uniqueEmail('console') };
  const fcSource = newIp();

  it('console login: 5 free wrong passwords on replica A, the 6th is refused on replica B', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call(a, consoleSource.ip, 'POST', '/api/auth/login', { body: { email: consoleSource.email, password: `faux ${i}` } })).status);
    const sixth = await call(b, consoleSource.ip, 'POST', '/api/auth/login', { body: { email: consoleSource.email, password: 'faux 5' } });
    statuses.push(sixth.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(sixth.body).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringMatching(/Trop de tentatives de connexion infructueuses depuis votre adresse/) });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    // Another source is not slowed, on either replica.
    expect((await call(b, newIp(), 'POST', '/api/auth/login', { body: { email: consoleSource.email, password: 'faux' } })).status).toBe(401);
  });

  it('password reset: 3 requests per address and IP on replica A, the 4th is refused on replica B', async () => {
    const ip = newIp();
    const email = uniqueEmail('reset');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(a, ip, 'POST', '/api/auth/password-reset/request', { body: { email } })).status);
    const fourth = await call(b, ip, 'POST', '/api/auth/password-reset/request', { body: { email } });
    statuses.push(fourth.status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(fourth.body).toMatchObject({ code: 'RATE_LIMITED', detail: 'Trop de demandes de réinitialisation. Réessayez plus tard.' });
    expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('portal login: 10 failures for one e-mail from one IP on replica A, the 11th attempt is refused on replica B (even with the right password)', async () => {
    const tenant = await makeTenant(dataSource);
    const ip = newIp();
    const email = uniqueEmail('citoyen');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await call(a, ip, 'POST', `/api/portal/${tenant.slug}/login`, { body: { email, password: `mauvais ${i}` } })).status);
    const eleventh = await call(b, ip, 'POST', `/api/portal/${tenant.slug}/login`, { body: { email, password: goodPassword() } });
    statuses.push(eleventh.status);
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    expect(eleventh.body.detail).toBe('Trop de tentatives de connexion infructueuses pour cette adresse e-mail. Réessayez dans 15 minutes.');
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('portal sign-up: the per-IP budget (2 here) used on replica A refuses the next request on replica B', async () => {
    const tenant = await makeTenant(dataSource);
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 2; i += 1) statuses.push((await call(a, ip, 'POST', `/api/portal/${tenant.slug}/signup`, { body: { email: uniqueEmail('inscription'), password: goodPassword() } })).status);
    const third = await call(b, ip, 'POST', `/api/portal/${tenant.slug}/signup`, { body: { email: uniqueEmail('inscription'), password: goodPassword() } });
    statuses.push(third.status);
    expect(statuses).toEqual([202, 202, 429]);
    expect(third.body.detail).toBe('Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.');
  });

  it('FranceConnect routes: the per-IP budget (3 here) used on replica A sends the next start on replica B back with « trop_de_tentatives »', async () => {
    const tenant = await makeTenant(dataSource);
    const notices: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) notices.push(location(await call(a, fcSource, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur'));
    notices.push(location(await call(b, fcSource, 'GET', `/t/${tenant.slug}/auth/franceconnect/callback`)).searchParams.get('erreur'));
    expect(notices).toEqual(['client_unavailable', 'client_unavailable', 'client_unavailable', 'trop_de_tentatives']);
  });

  it('a restart keeps the counts: replacement replicas still refuse the sources blocked before', async () => {
    await a.close();
    await b.close();
    a = await startReplica(config);
    b = await startReplica(config);
    const tenant = await makeTenant(dataSource);
    expect((await call(a, consoleSource.ip, 'POST', '/api/auth/login', { body: { email: consoleSource.email, password: 'faux 6' } })).status).toBe(429);
    expect(location(await call(b, fcSource, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur')).toBe('trop_de_tentatives');
  }, 60_000);

  it(`a flood of ${FLOOD_KEYS} distinct keys does not evict a live counter`, async () => {
    const tenant = await makeTenant(dataSource);
    const floodTenant = await makeTenant(dataSource);
    const blocked = newIp();
    for (let i = 0; i < 3; i += 1) await call(a, blocked, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`);
    expect(location(await call(a, blocked, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur')).toBe('trop_de_tentatives');
    // Straight into the limiter (HTTP would take minutes): one FranceConnect start from each of FLOOD_KEYS addresses.
    const limiter = a.api.app.get(PortalRateLimiter);
    const started = Date.now();
    for (let i = 0; i < FLOOD_KEYS; i += 200) {
      await Promise.all(Array.from({ length: 200 }, async (_, j) => limiter.franceConnect(floodTenant.id, `10.${Math.floor((i + j) / 65_536)}.${Math.floor((i + j) / 256) % 256}.${(i + j) % 256}`)));
    }
    const floodMs = Date.now() - started;
    // Every address has its own live counter in the shared store (hashed keys), nothing was dropped.
    expect(await storedPortalCounters(config, dataSource)).toBeGreaterThan(FLOOD_KEYS);
    for (const replica of [a, b]) {
      expect(location(await call(replica, blocked, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur')).toBe('trop_de_tentatives');
    }
    // Each of the flood's addresses was counted once.
    expect(location(await call(b, '10.0.0.7', 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur')).toBe('client_unavailable');
    expect(floodMs).toBeLessThan(90_000);
  }, 120_000);
});

describe('rate limits when Redis is down: fail closed (503), then resume by themselves', () => {
  let redis: ScratchRedis;
  let redisPort: number;
  let sink: StandaloneMailSink;
  let dataSource: DataSource;
  let config: PlatformConfig;
  let replica: ApiProcess;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startScratchRedis([], redisPort);
    sink = await startStandaloneMailSink();
    dataSource = await migratedTestDataSource();
    config = await testPlatformConfig({ SMTP_URL: sink.smtpUrl, TRUST_PROXY_HOPS: '1', REDIS_URL: redis.url });
    replica = await startReplica(config);
  }, 60_000);

  afterAll(async () => {
    await replica?.close();
    await redis?.stop();
    await dataSource?.destroy();
    await sink?.stop();
  });

  const call = (ip: string, method: string, path: string, options: CallOptions = {}): Promise<PortalReply> =>
    portalCall(replica.api.url, method, path, { publicUrl: config.http.publicUrl, ...options, headers: { 'x-forwarded-for': ip, ...options.headers } });

  it('answers 503 DEPENDENCY_UNAVAILABLE quickly on every limited route, never an unlimited attempt, and works again once Redis is back', async () => {
    const tenant = await makeTenant(dataSource);
    const ip = newIp();
    expect((await call(ip, 'POST', '/api/auth/login', { body: { email: uniqueEmail('avant'), password: 'faux' } })).status).toBe(401);

    await redis.stop();
    const timed = async (path: string, body: unknown): Promise<{ reply: PortalReply; ms: number }> => {
      const started = Date.now();
      const reply = await call(ip, 'POST', path, { body });
      return { reply, ms: Date.now() - started };
    };
    for (const [path, body] of [
      ['/api/auth/login', { email: uniqueEmail('panne'), password: 'faux' }],
      ['/api/auth/password-reset/request', { email: uniqueEmail('panne') }],
      [`/api/portal/${tenant.slug}/login`, { email: uniqueEmail('panne'), password: 'faux' }],
      [`/api/portal/${tenant.slug}/signup`, { email: uniqueEmail('panne'), password: goodPassword() }],
    ] as const) {
      const { reply, ms } = await timed(path, body);
      expect(`${path} → ${reply.status}`).toBe(`${path} → 503`);
      expect(reply.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', detail: 'Ce service est momentanément indisponible. Réessayez dans quelques instants.' });
      expect(ms).toBeLessThan(2_000);
    }
    // The browser route goes back to the portal with the technical-error notice.
    expect(location(await call(ip, 'GET', `/t/${tenant.slug}/auth/franceconnect/login`)).searchParams.get('erreur')).toBe('erreur_technique');

    redis = await startScratchRedis([], redisPort);
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await call(ip, 'POST', '/api/auth/login', { body: { email: uniqueEmail('apres'), password: 'faux' } })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(401);
  }, 60_000);
});
