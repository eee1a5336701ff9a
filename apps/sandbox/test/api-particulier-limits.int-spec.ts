/**
 * The API Particulier stand-in on its own servers, over real HTTP on 127.0.0.1: rate limits (with
 * a settable clock, so windows are exact), fault injection of each kind, the protection of its
 * admin API, and FranceConnect tokens that expire or a FranceConnect that cannot be reached.
 */
import { apiParticulierService, mintSandboxApiParticulierToken, type ApiParticulierSandboxOptions, type ApiParticulierSandbox } from '../src/services/api-particulier.js';
import { franceConnectService } from '../src/services/franceconnect.js';
import { admin, call, errorOf, franceConnectAccessToken, RECIPIENT, registerFranceConnectClient, serve, type ApiAnswer, type Served } from './api-particulier-helpers.js';

const QF = '/v3/dss/quotient_familial/identite';
const MESRI_INE = '/v3/mesri/statut_etudiant/ine';
const CNOUS_INE = '/v4/cnous/etudiant_boursier/ine';
const INE = { recipient: RECIPIENT, ine: '1234567890A' };
/** 2030-01-01T12:00:00Z, a minute boundary. */
const MINUTE = Date.UTC(2030, 0, 1, 12, 0, 0);

interface Running extends Served {
  readonly service: ApiParticulierSandbox;
}

async function start(options: ApiParticulierSandboxOptions = {}): Promise<Running> {
  const service = apiParticulierService(options);
  return { ...(await serve(service.handler)), service };
}

function limitTriple(answer: ApiAnswer): [string | null, string | null, string | null] {
  return [answer.headers.get('ratelimit-limit'), answer.headers.get('ratelimit-remaining'), answer.headers.get('ratelimit-reset')];
}

describe('API Particulier stand-in: rate limits', () => {
  let now = MINUTE;
  let running: Running;
  let token: string;

  beforeAll(async () => {
    running = await start({ clock: () => now });
    token = (await mintSandboxApiParticulierToken({ subject: 'Commune', now: MINUTE })).token;
  });

  afterAll(async () => {
    await running.close();
  });

  beforeEach(async () => {
    // Fresh windows and default limits for each test.
    expect((await admin(running.base, '/admin/limits', { perTokenPerSecond: 20, perIpPerMinute: 1000 })).body).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 1000 });
  });

  it('lets 20 requests per second through per token, then answers 429 00429 with the token window', async () => {
    now = MINUTE + 5_250;
    for (let i = 1; i <= 20; i += 1) {
      const answer = await call(running.base, MESRI_INE, INE, token);
      expect(answer.status).toBe(200);
      expect(limitTriple(answer)).toEqual(['1000', String(1000 - i), String(MINUTE / 1000 + 60)]);
    }
    const refused = await call(running.base, MESRI_INE, INE, token);
    expect(refused.status).toBe(429);
    expect(errorOf(refused)).toEqual({ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} });
    expect(limitTriple(refused)).toEqual(['20', '0', String(MINUTE / 1000 + 6)]);
    expect(refused.headers.get('retry-after')).toBe('1');
    // Another token is not held back; refused requests did not count against the IP.
    const other = (await mintSandboxApiParticulierToken({ subject: 'Autre commune', now: MINUTE })).token;
    const second = await call(running.base, CNOUS_INE, INE, other);
    expect(second.status).toBe(200);
    expect(limitTriple(second)).toEqual(['1000', '979', String(MINUTE / 1000 + 60)]);
    // The next second, the token goes through again.
    now = MINUTE + 6_000;
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);
  });

  it('counts a FranceConnect token per token too', async () => {
    now = MINUTE + 7_000;
    for (let i = 0; i < 20; i += 1) expect((await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, 'cnaf_qfv2')).status).toBe(200);
    const refused = await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, 'cnaf_qfv2');
    expect(refused.status).toBe(429);
    expect(limitTriple(refused)[0]).toBe('20');
    expect(running.service.journal.at(-1)).toMatchObject({ status: 429, code: '00429', tokenId: expect.stringMatching(/^fc:[0-9a-f]{12}$/) });
  });

  it('lets the per-IP limit through per minute window, then answers 429 with the IP window and Retry-After', async () => {
    expect((await admin(running.base, '/admin/limits', { perIpPerMinute: 5 })).body).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 5 });
    now = MINUTE + 10_400;
    const remaining: string[] = [];
    for (let i = 0; i < 5; i += 1) remaining.push((await call(running.base, QF, { recipient: RECIPIENT }, null)).headers.get('ratelimit-remaining') ?? '');
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    for (const [path, bearer] of [
      [MESRI_INE, token],
      ['/elsewhere', null],
    ] as const) {
      const refused = await call(running.base, path, INE, bearer);
      expect(refused.status).toBe(429);
      expect(errorOf(refused).code).toBe('00429');
      expect(limitTriple(refused)).toEqual(['5', '0', String(MINUTE / 1000 + 60)]);
      expect(refused.headers.get('retry-after')).toBe('50');
    }
    now = MINUTE + 59_900;
    expect((await call(running.base, MESRI_INE, INE, token)).headers.get('retry-after')).toBe('1');
    now = MINUTE + 60_000;
    const next = await call(running.base, MESRI_INE, INE, token);
    expect(next.status).toBe(200);
    expect(limitTriple(next)).toEqual(['5', '4', String(MINUTE / 1000 + 120)]);
  });

  it('changes the limits at run time, and refuses nonsense without changing anything', async () => {
    for (const body of [{ perTokenPerSecond: 0 }, { perIpPerMinute: 'lots' }, { perIpPerMinute: 2.5 }, { burst: 3 }]) {
      expect((await admin(running.base, '/admin/limits', body)).status).toBe(400);
    }
    expect((await call(running.base, '/admin/limits', {}, null)).body).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 1000 });
    expect(running.service.limiter.limits).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 1000 });
  });

  it('takes its limits from its options, else the environment, and refuses a bad value', () => {
    expect(apiParticulierService().limiter.limits).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 1000 });
    expect(apiParticulierService({ perIpPerMinute: 60 }).limiter.limits).toEqual({ perTokenPerSecond: 20, perIpPerMinute: 60 });
    expect(() => apiParticulierService({ perTokenPerSecond: 0 })).toThrow(/perTokenPerSecond/);
    process.env.SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND = '7';
    try {
      expect(apiParticulierService().limiter.limits).toEqual({ perTokenPerSecond: 7, perIpPerMinute: 1000 });
      expect(apiParticulierService({ perTokenPerSecond: 9 }).limiter.limits).toEqual({ perTokenPerSecond: 9, perIpPerMinute: 1000 });
      process.env.SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND = 'seven';
      expect(() => apiParticulierService()).toThrow(/SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND/);
    } finally {
      delete process.env.SANDBOX_API_PARTICULIER_PER_TOKEN_PER_SECOND;
    }
  });
});

describe('API Particulier stand-in: faults', () => {
  let running: Running;
  let token: string;

  beforeAll(async () => {
    // Bursts with one token: the per-token ceiling is tested above.
    running = await start({ perTokenPerSecond: 10_000 });
    token = (await mintSandboxApiParticulierToken({ subject: 'Commune' })).token;
  });

  afterAll(async () => {
    await running.close();
  });

  beforeEach(async () => {
    expect((await admin(running.base, '/admin/faults', undefined, undefined, 'DELETE')).status).toBe(204);
  });

  it.each([
    [502, QF, '37999', 'Erreur inconnue du fournisseur de données', 'CNAV'],
    [502, MESRI_INE, '25999', 'Erreur inconnue du fournisseur de données', 'MESRI'],
    [503, CNOUS_INE, '26001', 'Service non disponible', 'CNOUS'],
    [504, QF, '37002', 'Intermédiaire hors-délai', 'CNAV'],
    [409, MESRI_INE, '00015', 'Conflit', undefined],
    [500, MESRI_INE, '00500', 'Erreur interne du serveur', undefined],
  ])('answers an injected %s on %s with a realistic body (%s)', async (status, path, code, title, provider) => {
    const created = await admin(running.base, '/admin/faults', { kind: 'status', status });
    expect(created).toMatchObject({ status: 201, body: { kind: 'status', status, remaining: 1, id: expect.any(String) } });
    const faulted = await call(running.base, path, INE, token);
    expect(faulted.status).toBe(status);
    expect(errorOf(faulted)).toMatchObject({ code, title, ...(provider === undefined ? {} : { meta: { provider } }) });
    expect(faulted.headers.get('ratelimit-limit')).toBe('1000');
    // Only the next request: the one after is normal again.
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);
  });

  it('applies to `count` requests, to a ratio of them, on a path prefix and a recipient', async () => {
    await admin(running.base, '/admin/faults', { kind: 'status', status: 503, count: 2, pathPrefix: '/v3/mesri', recipient: RECIPIENT });
    expect((await call(running.base, CNOUS_INE, INE, token)).status).toBe(200);
    expect((await call(running.base, MESRI_INE, { ...INE, recipient: '21920023500014' }, token)).status).toBe(200);
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(503);
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(503);
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);

    await admin(running.base, '/admin/faults', { kind: 'status', status: 502, ratio: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await call(running.base, MESRI_INE, INE, token)).status);
    expect(statuses).toEqual([200, 502, 200, 502, 200, 502]);
    expect((await call(running.base, '/admin/faults', {}, null)).body).toMatchObject({ faults: [{ kind: 'status', status: 502, ratio: 0.5, remaining: null, matched: 6, applied: 3 }] });
    expect((await admin(running.base, '/admin/faults', undefined, undefined, 'DELETE')).status).toBe(204);
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);
  });

  it('delays then answers normally on a latency fault', async () => {
    await admin(running.base, '/admin/faults', { kind: 'latency', latencyMs: 300 });
    const answer = await call(running.base, MESRI_INE, INE, token, { 'x-request-id': 'latency-1' });
    expect(answer.status).toBe(200);
    expect(running.service.journal.find((entry) => entry.requestId === 'latency-1')).toMatchObject({ status: 200, fault: 'latency' });
  });

  it('never answers on a timeout fault, until the client gives up', async () => {
    await admin(running.base, '/admin/faults', { kind: 'timeout' });
    await expect(fetch(`${running.base}${MESRI_INE}?recipient=${RECIPIENT}&ine=1234567890A`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'timeout-1' }, signal: AbortSignal.timeout(500) })).rejects.toThrow(
      /aborted|timeout/i,
    );
    expect(running.service.journal.find((entry) => entry.requestId === 'timeout-1')).toMatchObject({ status: null, code: null, fault: 'timeout' });
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);
  });

  it('destroys the connection on a reset fault', async () => {
    await admin(running.base, '/admin/faults', { kind: 'reset' });
    const failure = await fetch(`${running.base}${MESRI_INE}?recipient=${RECIPIENT}&ine=1234567890A`, { headers: { authorization: `Bearer ${token}` } }).then(
      () => undefined,
      (error: unknown) => error as Error & { cause?: { code?: string } },
    );
    expect(failure?.message).toBe('fetch failed');
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(failure?.cause?.code);
    expect((await call(running.base, MESRI_INE, INE, token)).status).toBe(200);
  });

  it('still stops promptly while a timeout fault holds a connection', async () => {
    const own = await start({ perTokenPerSecond: 10_000 });
    await admin(own.base, '/admin/faults', { kind: 'timeout', count: 3 });
    const pending = [1, 2, 3].map(() =>
      fetch(`${own.base}${MESRI_INE}?recipient=${RECIPIENT}&ine=1234567890A`, { headers: { authorization: `Bearer ${token}` } }).then(
        () => 'answered',
        () => 'failed',
      ),
    );
    // Wait until the three requests are held.
    while (own.service.journal.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await own.close();
    expect(await Promise.all(pending)).toEqual(['failed', 'failed', 'failed']);
  });

  it('refuses bad fault specifications with 400 and adds nothing', async () => {
    for (const body of [{ kind: 'explode' }, { kind: 'status', status: 418 }, { kind: 'latency' }, { kind: 'reset', ratio: 2 }, { kind: 'reset', extra: 1 }]) {
      const answer = await admin(running.base, '/admin/faults', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
    }
    expect(running.service.faults.list()).toEqual([]);
  });
});

describe('API Particulier stand-in: admin protection', () => {
  const ADMIN_TOKEN = 'admin-token-of-the-api-particulier-sandbox';
  let running: Running;

  beforeAll(async () => {
    running = await start({ adminToken: ADMIN_TOKEN, perTokenPerSecond: 10_000 });
  });

  afterAll(async () => {
    await running.close();
  });

  it('requires the admin token on every admin route when one is set', async () => {
    const routes: [string, string, unknown][] = [
      ['/admin/tokens', 'POST', { subject: 'x' }],
      ['/admin/tokens/revoke', 'POST', { jti: 'x' }],
      ['/admin/faults', 'POST', { kind: 'reset' }],
      ['/admin/faults', 'GET', undefined],
      ['/admin/faults', 'DELETE', undefined],
      ['/admin/limits', 'POST', { perIpPerMinute: 1 }],
      ['/admin/journal', 'GET', undefined],
      ['/admin/journal', 'DELETE', undefined],
      ['/admin/nothing', 'GET', undefined],
    ];
    for (const [path, method, body] of routes) {
      for (const given of [undefined, 'wrong-token']) {
        const answer = await admin(running.base, path, body, given, method);
        expect([path, method, answer.status]).toEqual([path, method, 401]);
        expect(answer.headers.get('www-authenticate')).toContain('Bearer');
      }
    }
    // Nothing was changed by the refused calls.
    expect(running.service.faults.list()).toEqual([]);
    expect(running.service.limiter.limits.perIpPerMinute).toBe(1000);

    const minted = await admin(running.base, '/admin/tokens', { subject: 'Commune' }, ADMIN_TOKEN);
    expect(minted.status).toBe(201);
    expect((await admin(running.base, '/admin/journal', undefined, ADMIN_TOKEN, 'GET')).status).toBe(200);
    expect((await admin(running.base, '/admin/nothing', undefined, ADMIN_TOKEN, 'GET')).status).toBe(404);
    // The data routes do not take the admin token, and the minted token works there.
    expect((await call(running.base, MESRI_INE, INE, ADMIN_TOKEN)).status).toBe(401);
    expect((await call(running.base, MESRI_INE, INE, (minted.body as { token: string }).token)).status).toBe(200);
  });
});

describe('API Particulier stand-in: FranceConnect outside the sandbox wiring', () => {
  it('refuses a FranceConnect access token once it has expired', async () => {
    // 2 s: `exp` is whole seconds, so the token lives at least one full second after it is issued.
    const franceConnect = await serve(franceConnectService({ clientsFile: null, ttl: { accessToken: 2 } }).handler);
    const issuer = `${franceConnect.base}/api/v2`;
    const running = await start({ franceConnectIssuer: issuer });
    try {
      const client = await registerFranceConnectClient(franceConnect.base);
      const fcToken = await franceConnectAccessToken(issuer, client, 'sans_nom_dusage', 'openid identite_pivot cnaf_quotient_familial');
      expect((await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, fcToken)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      const expired = await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, fcToken);
      expect(expired.status).toBe(401);
      expect(errorOf(expired).code).toBe('00101');
    } finally {
      await running.close();
      await franceConnect.close();
    }
  });

  it('answers 502 when FranceConnect cannot be reached, and still knows staging’s fake tokens', async () => {
    const gone = await serve(() => undefined);
    await gone.close();
    const running = await start({ franceConnectIssuer: `${gone.base}/api/v2`, franceConnectTimeoutMs: 2_000 });
    try {
      const answer = await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, 'some-franceconnect-token');
      expect(answer.status).toBe(502);
      expect(errorOf(answer)).toMatchObject({ code: '00501', meta: { provider: 'FranceConnect' } });
      expect((await call(running.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, 'cnaf_qfv2')).status).toBe(200);
    } finally {
      await running.close();
    }
    const strict = await start({ acceptStagingFranceConnectTokens: false });
    try {
      expect((await call(strict.base, '/v3/dss/quotient_familial/france_connect', { recipient: RECIPIENT }, 'cnaf_qfv2')).status).toBe(502);
    } finally {
      await strict.close();
    }
  });
});
