/**
 * The company-directory client over real HTTP on 127.0.0.1:
 * - against the recherche-entreprises stand-in of apps/sandbox (real organisations, real format,
 *   real 7 req/s per-IP ceiling);
 * - against a misbehaving node:http server for upstream failures (5xx, hangs, 429, garbage).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@fcplat/common';
import {
  CompanyDirectoryClient,
  DEFAULT_USER_AGENT,
  type CompanyDirectoryEvent,
  type CompanyDirectoryOptions,
} from '@fcplat/company-directory';
import { startSandbox, type RunningSandbox } from '../../../apps/sandbox/src/sandbox.js';
import { rechercheEntreprisesService, type JournalEntry } from '../../../apps/sandbox/src/services/recherche-entreprises.js';
import { search } from '../../../apps/sandbox/src/services/recherche-entreprises/search.js';
import { CLAMART_LOOKUP, CLAMART_SIRET } from './clamart.js';

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A stand-in of our own, so that the test can read what it served. */
async function standIn(options: Parameters<typeof rechercheEntreprisesService>[0] = {}): Promise<Running & { journal: readonly JournalEntry[] }> {
  const service = rechercheEntreprisesService(options);
  const running = await listen(createServer((req, res) => void service.handler(req, res)));
  return { ...running, journal: service.journal };
}

/** Largest number of `status` answers whose arrivals fit in any window of `windowMs`. */
function maxServedInWindow(journal: readonly JournalEntry[], windowMs: number, status = 200): number {
  const times = journal.filter((e) => e.status === status).map((e) => e.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] as number) - (times[j] as number) >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('company directory against the recherche-entreprises stand-in', () => {
  let sandbox: RunningSandbox;
  let client: CompanyDirectoryClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    // One client for the whole file, as in production: one rate limiter per process.
    client = new CompanyDirectoryClient({ baseUrl: sandbox.url('recherche-entreprises') });
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('looks up a commune’s head office', async () => {
    await expect(client.lookupSiret(CLAMART_SIRET)).resolves.toEqual(CLAMART_LOOKUP);
  });

  it.each([
    ['26570134200148', '7361', 'CENTRE COMMUNAL D\'ACTION SOCIALE'],
    ['22630001000015', '7220', 'DEPARTEMENT DU PUY DE DOME'],
    ['23350001600040', '7230', 'REGION BRETAGNE'],
    ['24330031600011', '7344', 'BORDEAUX METROPOLE'],
    ['20003571500016', '7348', 'CARCASSONNE AGGLO'],
    ['24790079800031', '7346', 'COMMUNAUTE DE COMMUNES DU THOUARSAIS'],
    ['19810012500014', '7331', 'LYCEE POLYVALENT JEAN JAURES'],
    ['13002526500013', '7120', 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE'],
  ])('recognises %s as an open public body (%s)', async (siret, code, name) => {
    const lookup = await client.lookupSiret(siret);
    expect(lookup).toMatchObject({ siret, name, legalCategory: { code, classification: 'public_administrative' }, establishmentOpen: true, unitActive: true, warnings: [] });
  });

  it('warns about a company that is not a public body', async () => {
    const lookup = await client.lookupSiret('41816609600069');
    expect(lookup).toMatchObject({
      name: 'OCTO-TECHNOLOGY',
      address: { street: "34 AVENUE DE L'OPERA", postalCode: '75002', city: 'PARIS' },
      legalCategory: { code: '5710', classification: 'not_public' },
      establishmentOpen: true,
    });
    expect(lookup?.warnings.map((w) => w.code)).toEqual(['NOT_PUBLIC_BODY']);
  });

  it('warns about a closed establishment of an active commune', async () => {
    const lookup = await client.lookupSiret('21920023500022');
    expect(lookup).toMatchObject({
      siret: '21920023500022',
      address: { postalCode: '86270', city: 'COUSSAY-LES-BOIS' },
      establishmentOpen: false,
      unitActive: true,
      isHeadOffice: false,
      headOfficeSiret: '21920023500014',
    });
    expect(lookup?.warnings).toEqual([expect.objectContaining({ code: 'ESTABLISHMENT_CLOSED', message: expect.stringContaining('20/06/2002') })]);
  });

  it('warns about a ceased legal unit', async () => {
    const lookup = await client.lookupSiret('13002437500011');
    expect(lookup).toMatchObject({ unitActive: false, establishmentOpen: false, legalCategory: { code: '7113' } });
    expect(lookup?.warnings.map((w) => w.code)).toEqual(['ESTABLISHMENT_CLOSED', 'LEGAL_UNIT_CEASED']);
  });

  it('searches by name: « mairie de clamart » finds the commune’s town hall, « ccas » several, a made-up name none', async () => {
    const found = await client.searchByName('mairie de clamart');
    expect(found[0]).toMatchObject({ siret: CLAMART_SIRET, name: 'COMMUNE DE CLAMART', isHeadOffice: true, legalCategory: { code: '7210' } });
    expect(found.map((f) => f.siret)).not.toContain('21920023500022');
    const several = await client.searchByName('centre communal', { limit: 2 });
    expect(several.length).toBeGreaterThanOrEqual(1);
    expect(several.length).toBeLessThanOrEqual(2);
    await expect(client.searchByName('zanzibar plage')).resolves.toEqual([]);
  });

  it('answers null for a valid SIRET the directory does not know (absence is not non-existence)', async () => {
    // Commune de Varzy: real and valid, but not published by the stand-in, like a non-diffusible unit.
    await expect(client.lookupSiret('21580304000017')).resolves.toBeNull();
    const error = await client.requireSiret('21580304000017').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, detail: expect.stringContaining('non diffusibles') });
  });
});

describe('company directory: local validation and rate limiting', () => {
  it('refuses an invalid SIRET without any HTTP call', async () => {
    const server = await standIn();
    try {
      const client = new CompanyDirectoryClient({ baseUrl: server.url });
      for (const bad of ['21920023500015', '2192002350001', '219 200 235 00014', 'abcdefghijklmn', '']) {
        const error = await client.lookupSiret(bad).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [expect.objectContaining({ path: 'siret' })] });
      }
      expect(server.journal).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a name search of fewer than 3 characters without any HTTP call', async () => {
    const server = await standIn();
    try {
      const client = new CompanyDirectoryClient({ baseUrl: server.url });
      for (const bad of ['', 'ab', '  a  ', 'x'.repeat(101)]) {
        await expect(client.searchByName(bad)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', violations: [expect.objectContaining({ path: 'q' })] });
      }
      expect(server.journal).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('name searches share the lookups’ rate limiter: a burst of 10 of each, never more than 7 served in a second', async () => {
    const server = await standIn();
    try {
      const client = new CompanyDirectoryClient({ baseUrl: server.url });
      const calls = Array.from({ length: 10 }, (_, i) => [client.searchByName('commune de clamart'), client.lookupSiret(i % 2 === 0 ? '21920023500014' : '21690062100014')]).flat();
      await Promise.all(calls);
      expect(server.journal).toHaveLength(20);
      expect(server.journal.filter((e) => e.status !== 200)).toEqual([]);
      expect(maxServedInWindow(server.journal, 1000)).toBeLessThanOrEqual(7);
    } finally {
      await server.close();
    }
  });

  it('a burst of 20 lookups all succeed, none is refused, and never more than 7 are served in a second', async () => {
    const server = await standIn();
    try {
      const client = new CompanyDirectoryClient({ baseUrl: server.url });
      const sirets = [
        '21920023500014', '21690062100014', '21930045600015', '21750001600019', '26570134200148',
        '19810012500014', '22630001000015', '22690001700014', '23350001600040', '24330031600011',
        '20003571500016', '20006793200018', '20007184300060', '24790079800031', '13002526500013',
        '13000495500014', '13002437500011', '41816609600069', '81104725700019', '39234600300198',
      ];
      const results = await Promise.all(sirets.map((siret) => client.lookupSiret(siret)));
      expect(results.map((r) => r?.siret)).toEqual(sirets);
      expect(server.journal).toHaveLength(20);
      expect(server.journal.filter((e) => e.status !== 200)).toEqual([]);
      expect(maxServedInWindow(server.journal, 1000)).toBeLessThanOrEqual(7);
    } finally {
      await server.close();
    }
  });

  it('when the upstream is stricter than expected, it pauses on 429 and still gets every answer', async () => {
    const server = await standIn({ perIpLimit: 3 });
    const events: CompanyDirectoryEvent[] = [];
    try {
      const client = new CompanyDirectoryClient({ baseUrl: server.url, retry: { maxRateLimitWaits: 5 }, onEvent: (e) => events.push(e) });
      const sirets = ['21920023500014', '21690062100014', '21930045600015', '21750001600019', '26570134200148', '19810012500014'];
      const results = await Promise.all(sirets.map((siret) => client.lookupSiret(siret)));
      expect(results.every((r) => r !== null)).toBe(true);
      expect(server.journal.some((e) => e.status === 429)).toBe(true);
      expect(events.some((e) => e.type === 'rate_limited')).toBe(true);
      expect(maxServedInWindow(server.journal, 1000)).toBeLessThanOrEqual(3);
    } finally {
      await server.close();
    }
  });
});

describe('company directory against a misbehaving upstream', () => {
  type Behaviour = (call: number, res: ServerResponse, headers: IncomingHttpHeaders) => void;
  let behaviour: Behaviour;
  let calls: number;
  let seenHeaders: IncomingHttpHeaders[];
  let upstream: Running;

  const realAnswer = (q: string): string => JSON.stringify(search(new URLSearchParams({ q, minimal: 'true', include: 'siege,matching_etablissements' })).body);

  function client(options: CompanyDirectoryOptions = {}): CompanyDirectoryClient {
    return new CompanyDirectoryClient({ baseUrl: upstream.url, timeoutMs: 300, retry: { baseDelayMs: 20, maxDelayMs: 100 }, ...options });
  }

  beforeAll(async () => {
    upstream = await listen(
      createServer((req, res) => {
        calls += 1;
        seenHeaders.push(req.headers);
        behaviour(calls, res, req.headers);
      }),
    );
  });

  beforeEach(() => {
    calls = 0;
    seenHeaders = [];
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('sends a descriptive User-Agent and asks for JSON', async () => {
    behaviour = (_call, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(realAnswer('13002526500013'));
    };
    await expect(client().lookupSiret('13002526500013')).resolves.toMatchObject({ name: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE' });
    expect(seenHeaders[0]).toMatchObject({ 'user-agent': DEFAULT_USER_AGENT, accept: 'application/json' });
  });

  it('retries 500s with backoff and succeeds', async () => {
    const events: CompanyDirectoryEvent[] = [];
    behaviour = (call, res) => {
      if (call < 3) {
        res.writeHead(500);
        res.end('oops');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(realAnswer('21920023500014'));
    };
    await expect(client({ onEvent: (e) => events.push(e) }).lookupSiret('21920023500014')).resolves.toMatchObject({ siren: '219200235' });
    expect(calls).toBe(3);
    expect(events).toEqual([
      expect.objectContaining({ type: 'retry', reason: 'retryable_error', status: 500, code: 'OUTBOUND_HTTP_STATUS' }),
      expect.objectContaining({ type: 'retry', reason: 'retryable_error', status: 500 }),
    ]);
  });

  it('gives up on a lasting 5xx with DEPENDENCY_UNAVAILABLE', async () => {
    behaviour = (_call, res) => {
      res.writeHead(502);
      res.end();
    };
    const error = await client().lookupSiret('21920023500014').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503, extensions: { upstream: 'recherche-entreprises', reason: 'upstream_error', upstreamStatus: 502 } });
    expect(calls).toBe(3);
  });

  it('times out on a hanging upstream, retries, then reports DEPENDENCY_UNAVAILABLE', async () => {
    behaviour = () => undefined;
    const started = Date.now();
    const error = await client({ timeoutMs: 150 }).lookupSiret('21920023500014').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', extensions: { reason: 'timeout' } });
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('does not retry a 400 from the upstream', async () => {
    behaviour = (_call, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"erreur":"Veuillez indiquer au moins un paramètre de recherche."}');
    };
    await expect(client().lookupSiret('21920023500014')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', extensions: { reason: 'upstream_rejected' } });
    expect(calls).toBe(1);
  });

  it('does not wait for a ban-length Retry-After: RATE_LIMITED at once', async () => {
    behaviour = (_call, res) => {
      res.writeHead(429, { 'Retry-After': '43200' });
      res.end();
    };
    await expect(client().lookupSiret('21920023500014')).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(calls).toBe(1);
  });

  it.each([
    ['an HTML page', 'text/html', '<html><body>Maintenance</body></html>', 'malformed_response'],
    ['JSON without results', 'application/json', '{"status":"ok"}', 'malformed_response'],
  ])('refuses %s with DEPENDENCY_UNAVAILABLE', async (_label, type, body, reason) => {
    behaviour = (_call, res) => {
      res.writeHead(200, { 'Content-Type': type });
      res.end(body);
    };
    await expect(client().lookupSiret('21920023500014')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', extensions: { reason } });
    expect(calls).toBe(1);
  });

  it('refuses redirects and oversized answers', async () => {
    behaviour = (_call, res) => {
      res.writeHead(301, { Location: 'https://elsewhere.example/search' });
      res.end();
    };
    await expect(client().lookupSiret('21920023500014')).rejects.toMatchObject({ extensions: { reason: 'redirect' } });

    behaviour = (_call, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ results: [], padding: 'x'.repeat(200_000) }));
    };
    await expect(client({ maxResponseBytes: 64 * 1024 }).lookupSiret('21920023500014')).rejects.toMatchObject({
      extensions: { reason: 'too_large' },
    });
  });
});
