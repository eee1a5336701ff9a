/**
 * « Tester la configuration » over real HTTP on 127.0.0.1: against the FranceConnect v2 sandbox
 * (oidc-provider) with a client registered through its admin API, and against a tiny hand-written
 * provider for the broken environments the sandbox cannot play (foreign issuer, empty JWKS, a
 * provider that never answers). Every check is shown able to pass and able to fail, and the
 * secret never appears in a report.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { franceConnectService } from '../../../apps/sandbox/src/services/franceconnect.js';
import {
  FRANCECONNECT_PROBE_OK_SUMMARY,
  probeFranceConnectClient,
  type FranceConnectProbeInput,
  type FranceConnectProbeReport,
  type FranceConnectProbeStep,
} from '../src/index.js';

type TinyMode = 'honest' | 'wrong_issuer' | 'empty_jwks' | 'symmetric_jwks' | 'stall' | 'callback_error';

interface Tiny {
  readonly issuer: string;
  mode: TinyMode;
  /** `error` sent back to the redirect URI in mode `callback_error`. */
  callbackError: string;
  readonly paths: string[];
  lastAuthorize: URLSearchParams | undefined;
  lastToken: URLSearchParams | undefined;
  close(): Promise<void>;
}

const STEP_NAMES = ['discovery', 'jwks', 'client_id', 'client_secret'];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function shut(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A minimal OpenID provider: honest discovery and ES256 JWKS, an authorize endpoint that sends
 * everyone to its login page, a token endpoint that accepts any client but no code; `mode` breaks
 * one piece at a time.
 */
async function startTiny(): Promise<Tiny> {
  let origin = '';
  const state: Tiny = {
    issuer: '',
    mode: 'honest',
    callbackError: 'invalid_scope',
    paths: [],
    lastAuthorize: undefined,
    lastToken: undefined,
    close: () => shut(server),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      state.paths.push(url.pathname);
      if (state.mode === 'stall') return; // never answers: the probe's timeout must fire
      switch (url.pathname) {
        case '/api/v2/.well-known/openid-configuration':
          json(res, 200, {
            issuer: state.mode === 'wrong_issuer' ? 'https://oidc.franceconnect.gouv.fr/api/v2' : `${origin}/api/v2`,
            authorization_endpoint: `${origin}/api/v2/authorize`,
            token_endpoint: `${origin}/api/v2/token`,
            userinfo_endpoint: `${origin}/api/v2/userinfo`,
            jwks_uri: `${origin}/api/v2/jwks`,
            end_session_endpoint: `${origin}/api/v2/session/end`,
            id_token_signing_alg_values_supported: ['ES256'],
          });
          return;
        case '/api/v2/jwks':
          if (state.mode === 'empty_jwks') json(res, 200, { keys: [] });
          else if (state.mode === 'symmetric_jwks') json(res, 200, { keys: [{ kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' }] });
          else json(res, 200, { keys: [{ kty: 'EC', crv: 'P-256', kid: 'k1', use: 'sig', alg: 'ES256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] });
          return;
        case '/api/v2/authorize':
          state.lastAuthorize = url.searchParams;
          if (state.mode === 'callback_error') {
            const back = new URL(url.searchParams.get('redirect_uri') ?? '');
            back.searchParams.set('error', state.callbackError);
            back.searchParams.set('state', url.searchParams.get('state') ?? '');
            res.writeHead(303, { location: back.href });
          } else {
            res.writeHead(302, { location: '/api/v2/interaction/abc' });
          }
          res.end();
          return;
        case '/api/v2/token':
          state.lastToken = new URLSearchParams(await readBody(req));
          json(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
          return;
        default:
          json(res, 404, { error: 'not_found' });
      }
    })().catch(() => res.destroy());
  });
  origin = await listen(server);
  Object.assign(state, { issuer: `${origin}/api/v2` });
  return state;
}

function step(report: FranceConnectProbeReport, name: string): FranceConnectProbeStep {
  const found = report.steps.find((s) => s.step === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

function statuses(report: FranceConnectProbeReport): string[] {
  return report.steps.map((s) => s.status);
}

describe('probeFranceConnectClient', () => {
  let sandbox: Server;
  let issuer: string;
  let tiny: Tiny;
  let client: { client_id: string; client_secret: string };
  const redirectUri = 'https://mairie-probe.example.fr/t/demo/auth/franceconnect/callback';
  const secrets = new Set<string>();
  const reports: FranceConnectProbeReport[] = [];

  /** Runs the probe, keeps the report and the secret for the final leak check, checks its shape. */
  async function probe(input: FranceConnectProbeInput): Promise<FranceConnectProbeReport> {
    secrets.add(input.clientSecret);
    const report = await probeFranceConnectClient(input);
    reports.push(report);
    expect(report.steps.map((s) => s.step)).toEqual(STEP_NAMES);
    expect(JSON.stringify(report)).not.toContain(input.clientSecret);
    for (const s of report.steps) {
      if (s.status === 'skipped') expect(s.durationMs).toBeNull();
      else expect(s.durationMs).toEqual(expect.any(Number));
    }
    if (report.ok) expect(report.summary).toBe(FRANCECONNECT_PROBE_OK_SUMMARY);
    else expect(report.summary).toBe(`Échec : ${report.steps.find((s) => s.status === 'failed')?.detail}`);
    return report;
  }

  beforeAll(async () => {
    const service = franceConnectService({ clientsFile: null });
    sandbox = createServer((req, res) => {
      Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
    });
    const base = await listen(sandbox);
    issuer = `${base}/api/v2`;
    const response = await fetch(`${base}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Mairie de test de configuration',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: ['https://mairie-probe.example.fr/t/demo/auth/franceconnect/logout/callback'],
        id_token_signed_response_alg: 'ES256',
      }),
    });
    expect(response.status).toBe(201);
    client = (await response.json()) as typeof client;
    tiny = await startTiny();
  });

  afterAll(async () => {
    await tiny.close();
    await shut(sandbox);
  });

  beforeEach(() => {
    tiny.mode = 'honest';
    tiny.paths.length = 0;
    tiny.lastAuthorize = undefined;
    tiny.lastToken = undefined;
  });

  it('passes the four checks for a registered client with its registered callback', async () => {
    const report = await probe({ issuer, clientId: client.client_id, clientSecret: client.client_secret, redirectUri });
    expect(report.ok).toBe(true);
    expect(statuses(report)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(report.summary).toBe('Configuration FranceConnect opérationnelle');
    expect(step(report, 'discovery').detail).toMatch(/^Découverte OpenID Connect joignable \(\d+ ms\)$/);
    expect(step(report, 'jwks').detail).toMatch(/^Jeu de clés \(JWKS\) publié : \d+ clés? \(\d+ ms\)$/);
    expect(step(report, 'client_id').detail).toMatch(/^client_id reconnu et adresse de retour acceptée/);
    expect(step(report, 'client_secret').detail).toMatch(/^Secret client accepté \(code de test refusé comme prévu/);
  });

  it('sends a FranceConnect-shaped authorization request and a client_secret_post token request', async () => {
    const report = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-0123456789', redirectUri });
    expect(report.ok).toBe(true);
    const authorize = tiny.lastAuthorize;
    expect(authorize).toBeDefined();
    expect([...(authorize?.keys() ?? [])].sort()).toEqual(['acr_values', 'client_id', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(authorize?.get('response_type')).toBe('code');
    expect(authorize?.get('scope')).toBe('openid');
    expect(authorize?.get('acr_values')).toBe('eidas1');
    expect(authorize?.get('redirect_uri')).toBe(redirectUri);
    expect(authorize?.get('state')).toMatch(/^[0-9A-Za-z]{32,}$/);
    expect(authorize?.get('nonce')).toMatch(/^[0-9A-Za-z]{32,}$/);
    expect(authorize?.get('state')).not.toBe(authorize?.get('nonce'));
    expect(Object.fromEntries(tiny.lastToken ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: expect.stringMatching(/^[0-9A-Za-z]{32,}$/),
      redirect_uri: redirectUri,
      client_id: 'client-tiny',
      client_secret: 'secret-tiny-0123456789',
    });
    // The login page the provider redirected to is never fetched.
    expect(tiny.paths).not.toContain('/api/v2/interaction/abc');
  });

  it('fails client_id for a client_id the environment never registered, and does not judge the secret', async () => {
    const report = await probe({ issuer, clientId: randomBytes(32).toString('hex'), clientSecret: client.client_secret, redirectUri });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['ok', 'ok', 'failed', 'skipped']);
    expect(step(report, 'client_id').detail).toBe('client_id inconnu de cet environnement (invalid_client, HTTP 400)');
    expect(step(report, 'client_secret').detail).toBe('Non vérifié : le client_id n’a pas été reconnu');
    expect(report.summary).toBe('Échec : client_id inconnu de cet environnement (invalid_client, HTTP 400)');
  });

  it('fails client_id for a known client_id with a callback it did not register (the secret is still checked)', async () => {
    const report = await probe({
      issuer,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      redirectUri: 'https://mairie-probe.example.fr/t/autre/auth/franceconnect/callback',
    });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(step(report, 'client_id').detail).toBe('Adresse de retour non déclarée pour ce client_id (invalid_redirect_uri, HTTP 400)');
  });

  it('reads an error sent back to the callback: a refusal fails client_id (code sanitised), login_required proves the client known', async () => {
    tiny.mode = 'callback_error';
    tiny.callbackError = 'invalid_scope';
    const refused = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-callback-0123', redirectUri });
    expect(statuses(refused)).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(step(refused, 'client_id').detail).toBe('Demande d’autorisation refusée par l’environnement (erreur invalid_scope)');

    tiny.callbackError = '<script>alert(1)</script>';
    const odd = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-callback-0123', redirectUri });
    expect(step(odd, 'client_id').detail).toBe('Demande d’autorisation refusée par l’environnement (erreur non standard)');
    expect(JSON.stringify(odd)).not.toContain('script');

    tiny.callbackError = 'login_required';
    const known = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-callback-0123', redirectUri });
    expect(known.ok).toBe(true);
    expect(step(known, 'client_id').detail).toMatch(/^client_id reconnu et adresse de retour acceptée \(login_required, \d+ ms\)$/);
  });

  it('fails client_secret for a wrong secret, every other check passing', async () => {
    const wrongSecret = randomBytes(32).toString('hex');
    const report = await probe({ issuer, clientId: client.client_id, clientSecret: wrongSecret, redirectUri });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['ok', 'ok', 'ok', 'failed']);
    expect(step(report, 'client_secret').detail).toMatch(/^Secret client refusé par l’environnement \(invalid_client, HTTP 40[01]\)$/);
    expect(report.summary).toBe(`Échec : ${step(report, 'client_secret').detail}`);
  });

  it('fails discovery when nothing listens at the issuer, and skips the rest', async () => {
    const closed = createServer();
    const base = await listen(closed);
    await shut(closed);
    const report = await probe({ issuer: `${base}/api/v2`, clientId: client.client_id, clientSecret: client.client_secret, redirectUri });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(step(report, 'discovery').detail).toBe('Découverte OpenID Connect injoignable (erreur réseau ECONNREFUSED)');
    expect(report.summary).toBe('Échec : Découverte OpenID Connect injoignable (erreur réseau ECONNREFUSED)');
  });

  it('fails discovery within timeoutMs when the issuer accepts the connection but never answers', async () => {
    tiny.mode = 'stall';
    const startedAt = Date.now();
    const report = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-stall-0123', redirectUri, timeoutMs: 300 });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(statuses(report)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(step(report, 'discovery').detail).toBe('Découverte OpenID Connect injoignable (délai de réponse de 300 ms dépassé)');
  });

  it('fails discovery when the document names another issuer, and calls nothing else', async () => {
    tiny.mode = 'wrong_issuer';
    const report = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-issuer-0123', redirectUri });
    expect(statuses(report)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(step(report, 'discovery').detail).toBe('Découverte OpenID Connect : l’émetteur annoncé (issuer) ne correspond pas à l’adresse configurée');
    // The foreign issuer is not echoed, and no endpoint of an untrusted document was called.
    expect(JSON.stringify(report)).not.toContain('gouv.fr');
    expect(tiny.paths).toEqual(['/api/v2/.well-known/openid-configuration']);
  });

  it('fails jwks when the key set is empty, the client checks still running', async () => {
    tiny.mode = 'empty_jwks';
    const report = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-jwks-0123', redirectUri });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['ok', 'failed', 'ok', 'ok']);
    expect(step(report, 'jwks').detail).toBe('Jeu de clés (JWKS) vide : aucune clé publiée');
    expect(report.summary).toBe('Échec : Jeu de clés (JWKS) vide : aucune clé publiée');
  });

  it('fails jwks when no published key can check the announced ES256 signatures', async () => {
    tiny.mode = 'symmetric_jwks';
    const report = await probe({ issuer: tiny.issuer, clientId: 'client-tiny', clientSecret: 'secret-tiny-oct-0123', redirectUri });
    expect(statuses(report)).toEqual(['ok', 'failed', 'ok', 'ok']);
    expect(step(report, 'jwks').detail).toBe('Jeu de clés (JWKS) sans clé de signature EC pour les algorithmes annoncés');
  });

  it('never puts a secret in a report', () => {
    expect(reports.length).toBeGreaterThanOrEqual(12);
    const serialised = JSON.stringify(reports);
    for (const secret of secrets) expect(serialised).not.toContain(secret);
  });
});
