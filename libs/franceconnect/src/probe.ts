/**
 * « Tester la configuration »: checks a tenant's FranceConnect client against its live environment
 * without a citizen and without lasting side effects, in four steps:
 *
 * 1. `discovery`: the discovery document, validated exactly as the relying party does
 *    ({@link parseDiscovery}: same issuer, every endpoint absolute and on the issuer's origin);
 * 2. `jwks`: the key set is non-empty, every key has a `kty`, and there is a public EC or RSA
 *    signing key for the ID token algorithms the provider announces;
 * 3. `client_id`: an authorization request (not followed): a provider that knows the client and its
 *    redirect URI redirects to its own login page, an unknown client or redirect URI gets an error
 *    page without redirect. The provider keeps a pending interaction until it expires, nothing more;
 * 4. `client_secret`: a token request with a random (certainly invalid) code: oidc-provider, on
 *    which FranceConnect is built, authenticates the client before it looks at the code, so
 *    `invalid_client` means a refused secret and `invalid_grant` an accepted one.
 *
 * Every call goes through @fcplat/outbound-http (timeouts, bounded bodies, no redirects followed,
 * TLS >= 1.2). The report is meant for staff: French details that never hold the secret, nor any
 * part of a response body except an OAuth error code matching `[a-z_]`.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONNECT_TIMEOUT_MS, isOutboundHttpError, OutboundTimeoutError, request, type OutboundResponse } from '@fcplat/outbound-http';
import { FranceConnectError } from './errors.js';
import { parseDiscovery, parseJwks, type ProviderMetadata } from './provider-directory.js';
import { randomAlphanumeric } from './random.js';

export interface FranceConnectProbeInput {
  /** e.g. `https://oidc.franceconnect.gouv.fr/api/v2`, compared exactly with the discovery's `issuer`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The tenant's registered callback. */
  readonly redirectUri: string;
  /** Budget of each request, default 5000 ms. */
  readonly timeoutMs?: number;
}

export type FranceConnectProbeStepName = 'discovery' | 'jwks' | 'client_id' | 'client_secret';

export interface FranceConnectProbeStep {
  readonly step: FranceConnectProbeStepName;
  /** `skipped`: an earlier step failed so this one could not run. */
  readonly status: 'ok' | 'failed' | 'skipped';
  /** French, for staff; never holds the secret nor a response body beyond an error code. */
  readonly detail: string;
  /** Time spent on the step; `null` when skipped. */
  readonly durationMs: number | null;
}

export interface FranceConnectProbeReport {
  readonly ok: boolean;
  /** Always the four steps, in order. */
  readonly steps: readonly FranceConnectProbeStep[];
  /** French one-line verdict. */
  readonly summary: string;
}

export const FRANCECONNECT_PROBE_DEFAULT_TIMEOUT_MS = 5_000;
export const FRANCECONNECT_PROBE_OK_SUMMARY = 'Configuration FranceConnect opérationnelle';

const USER_AGENT = 'fcplat-franceconnect-probe';
const DISCOVERY_MAX_BYTES = 256 * 1024;
const JWKS_MAX_BYTES = 128 * 1024;
const PAGE_MAX_BYTES = 256 * 1024;
const TOKEN_MAX_BYTES = 64 * 1024;
const ERROR_CODE = /^[a-z_]{1,64}$/;
/** Errors an authorization endpoint may show; the specific ones first (`\b` does not split on `_`). */
const AUTHORIZE_ERRORS = [
  'invalid_redirect_uri',
  'invalid_client',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'invalid_request',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
] as const;
/** Errors returned to the redirect URI that still prove the client and its redirect URI are known. */
const KNOWN_CLIENT_ERRORS: ReadonlySet<string> = new Set(['login_required', 'interaction_required']);
const DISCOVERY_ENDPOINTS: Readonly<Record<string, string>> = {
  authorization_endpoint: 'd’autorisation (authorization_endpoint)',
  token_endpoint: 'de jeton (token_endpoint)',
  userinfo_endpoint: 'd’informations utilisateur (userinfo_endpoint)',
  jwks_uri: 'des clés (jwks_uri)',
  end_session_endpoint: 'de déconnexion (end_session_endpoint)',
};

interface StepOutcome {
  readonly status: 'ok' | 'failed';
  readonly detail: string;
}

/** The authorization step also says whether the provider showed that it knows the client. */
interface ClientIdOutcome extends StepOutcome {
  readonly clientKnown: boolean;
}

const ok = (detail: string): StepOutcome => ({ status: 'ok', detail });
const failed = (detail: string): StepOutcome => ({ status: 'failed', detail });

/** An OAuth error code as is when it is one, `undefined` otherwise: nothing else of a body is shown. */
function sanitiseErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && ERROR_CODE.test(value) ? value : undefined;
}

/** French description of a transport failure (never a body, never a query string). */
function transportFailure(what: string, error: unknown): string {
  if (error instanceof OutboundTimeoutError) {
    return `${what} injoignable (délai de ${error.phase === 'connect' ? 'connexion' : 'réponse'} de ${error.timeoutMs} ms dépassé)`;
  }
  if (isOutboundHttpError(error)) {
    switch (error.code) {
      case 'OUTBOUND_NETWORK_ERROR': {
        const code = (error as { systemCode?: unknown }).systemCode;
        return `${what} injoignable (erreur réseau${typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? ` ${code}` : ''})`;
      }
      case 'OUTBOUND_TLS_ERROR':
        return `${what} injoignable (échec de la négociation TLS ou certificat refusé)`;
      case 'OUTBOUND_RESPONSE_TOO_LARGE':
        return `${what} : réponse trop volumineuse`;
      case 'OUTBOUND_INVALID_REQUEST':
        return `${what} : adresse invalide`;
      case 'OUTBOUND_REDIRECT':
        return `${what} : redirection inattendue`;
      default:
        return `${what} injoignable (${error.code})`;
    }
  }
  return `${what} injoignable`;
}

function ms(durationMs: number): string {
  return `${durationMs} ms`;
}

function jsonObject(response: OutboundResponse): Record<string, unknown> | undefined {
  try {
    const value = response.json();
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The OAuth error code of an error page: the JSON `error` field, or a known code in the HTML. */
function errorCodeOfPage(response: OutboundResponse): string | undefined {
  const json = jsonObject(response);
  if (json) return sanitiseErrorCode(json.error);
  const text = response.text();
  return AUTHORIZE_ERRORS.find((code) => new RegExp(`\\b${code}\\b`).test(text));
}

function discoveryFailure(error: unknown): string {
  if (error instanceof FranceConnectError) {
    const reason = error.reason;
    if (reason === 'discovery_not_an_object') return 'Découverte OpenID Connect : le document n’est pas un objet JSON';
    if (reason === 'discovery_issuer_mismatch') return 'Découverte OpenID Connect : l’émetteur annoncé (issuer) ne correspond pas à l’adresse configurée';
    const match = /^discovery_([a-z_]+)_(missing|invalid|foreign|not_https)$/.exec(reason);
    const endpoint = match?.[1] === undefined ? undefined : DISCOVERY_ENDPOINTS[match[1]];
    if (match && endpoint) {
      const problem = { missing: 'absente', invalid: 'invalide', foreign: 'hors du domaine de l’émetteur', not_https: 'non HTTPS' }[match[2] as 'missing' | 'invalid' | 'foreign' | 'not_https'];
      return `Découverte OpenID Connect : adresse ${endpoint} ${problem}`;
    }
  }
  return 'Découverte OpenID Connect : document invalide';
}

/** The kinds of keys (`kty`) able to check the ID token algorithms the provider announces. */
function signingKeyTypes(document: Record<string, unknown>): ReadonlySet<string> {
  const algorithms = document.id_token_signing_alg_values_supported;
  const types = new Set<string>();
  if (!Array.isArray(algorithms)) return types;
  for (const alg of algorithms) {
    if (typeof alg !== 'string') continue;
    if (/^ES(256|384|512)$/.test(alg)) types.add('EC');
    if (/^(RS|PS)(256|384|512)$/.test(alg)) types.add('RSA');
  }
  return types;
}

function absoluteHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Same callback: scheme, host, port and path (the provider appends its own query). */
function sameCallback(location: URL, redirectUri: URL): boolean {
  return location.origin === redirectUri.origin && location.pathname === redirectUri.pathname;
}

/**
 * Checks that the tenant's FranceConnect environment answers and knows the client (see the module
 * documentation). Never throws for what the environment answers; a `timeoutMs` that is not a
 * positive integer is a programming error (RangeError).
 */
export async function probeFranceConnectClient(input: FranceConnectProbeInput): Promise<FranceConnectProbeReport> {
  const timeoutMs = input.timeoutMs ?? FRANCECONNECT_PROBE_DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive integer');
  const limits = { timeoutMs, connectTimeoutMs: Math.min(timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS) } as const;
  const { issuer, clientId, clientSecret, redirectUri } = input;

  const steps: FranceConnectProbeStep[] = [];
  const skip = (step: FranceConnectProbeStepName, detail: string): void => {
    steps.push({ step, status: 'skipped', detail, durationMs: null });
  };
  /** Runs one step, timing it; an unexpected exception fails the step without its message. */
  const run = async <T extends StepOutcome>(step: FranceConnectProbeStepName, body: () => Promise<T>, fallback: string): Promise<T | StepOutcome> => {
    const startedAt = performance.now();
    let outcome: T | StepOutcome;
    try {
      outcome = await body();
    } catch {
      outcome = failed(fallback);
    }
    steps.push({ step, status: outcome.status, detail: outcome.detail, durationMs: Math.round(performance.now() - startedAt) });
    return outcome;
  };
  const elapsed = (startedAt: number): string => ms(Math.round(performance.now() - startedAt));

  // 1. Discovery.
  let metadata: ProviderMetadata | undefined;
  let keyTypes: ReadonlySet<string> = new Set();
  const discovery = await run(
    'discovery',
    async () => {
      const startedAt = performance.now();
      if (!absoluteHttpUrl(issuer)) return failed('Adresse de l’émetteur (issuer) invalide : une URL http(s) absolue est attendue');
      let response: OutboundResponse;
      try {
        response = await request({
          url: `${issuer}/.well-known/openid-configuration`,
          headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
          ...limits,
          maxResponseBytes: DISCOVERY_MAX_BYTES,
          redirect: 'error',
        });
      } catch (error) {
        return failed(transportFailure('Découverte OpenID Connect', error));
      }
      if (response.status >= 500) return failed(`Découverte OpenID Connect injoignable (HTTP ${response.status})`);
      if (!response.ok) return failed(`Découverte OpenID Connect introuvable (HTTP ${response.status})`);
      let document: unknown;
      try {
        document = response.json();
      } catch {
        return failed('Découverte OpenID Connect : la réponse n’est pas du JSON');
      }
      try {
        metadata = parseDiscovery(document, issuer);
      } catch (error) {
        return failed(discoveryFailure(error));
      }
      keyTypes = signingKeyTypes(document as Record<string, unknown>);
      return ok(`Découverte OpenID Connect joignable (${elapsed(startedAt)})`);
    },
    'Découverte OpenID Connect : échec inattendu',
  );

  if (discovery.status !== 'ok' || !metadata) {
    skip('jwks', 'Non vérifié : la découverte OpenID Connect a échoué');
    skip('client_id', 'Non vérifié : la découverte OpenID Connect a échoué');
    skip('client_secret', 'Non vérifié : la découverte OpenID Connect a échoué');
    return report(steps);
  }
  const provider = metadata;

  // 2. JWKS (independent of the client: the next steps run whatever it says).
  await run(
    'jwks',
    async () => {
      const startedAt = performance.now();
      let response: OutboundResponse;
      try {
        response = await request({
          url: provider.jwksUri,
          headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
          ...limits,
          maxResponseBytes: JWKS_MAX_BYTES,
          redirect: 'error',
        });
      } catch (error) {
        return failed(transportFailure('Jeu de clés (JWKS)', error));
      }
      if (response.status >= 500) return failed(`Jeu de clés (JWKS) injoignable (HTTP ${response.status})`);
      if (!response.ok) return failed(`Jeu de clés (JWKS) introuvable (HTTP ${response.status})`);
      const document = jsonObject(response);
      if (!document || !Array.isArray(document.keys)) return failed('Jeu de clés (JWKS) invalide : un objet JSON avec un tableau keys est attendu');
      const keys: unknown[] = document.keys;
      if (keys.length === 0) return failed('Jeu de clés (JWKS) vide : aucune clé publiée');
      const typed = keys.every((key) => key !== null && typeof key === 'object' && typeof (key as { kty?: unknown }).kty === 'string' && (key as { kty: string }).kty !== '');
      if (!typed) return failed('Jeu de clés (JWKS) invalide : une clé n’a pas de type (kty)');
      const signing = parseJwks(document).keys.filter((key) => keyTypes.size === 0 || keyTypes.has(key.kty ?? ''));
      if (keyTypes.size > 0 && signing.length === 0) {
        return failed(`Jeu de clés (JWKS) sans clé de signature ${[...keyTypes].sort().join(' ou ')} pour les algorithmes annoncés`);
      }
      const count = keys.length;
      return ok(`Jeu de clés (JWKS) publié : ${count} clé${count > 1 ? 's' : ''} (${elapsed(startedAt)})`);
    },
    'Jeu de clés (JWKS) : échec inattendu',
  );

  // 3. client_id and redirect URI, through an authorization request that is not followed.
  const callback = absoluteHttpUrl(redirectUri);
  const clientIdStep = await run<ClientIdOutcome>(
    'client_id',
    async () => {
      const startedAt = performance.now();
      const refused = (detail: string, clientKnown = false): ClientIdOutcome => ({ status: 'failed', detail, clientKnown });
      if (clientId === '') return refused('client_id absent de la configuration');
      if (!callback) return refused('Adresse de retour (redirect_uri) invalide : une URL http(s) absolue est attendue');
      const url = new URL(provider.authorizationEndpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', 'openid');
      url.searchParams.set('acr_values', 'eidas1');
      url.searchParams.set('state', randomAlphanumeric(43));
      url.searchParams.set('nonce', randomAlphanumeric(43));
      let response: OutboundResponse;
      try {
        response = await request({
          url,
          headers: { Accept: 'text/html,application/json;q=0.9', 'User-Agent': USER_AGENT },
          ...limits,
          maxResponseBytes: PAGE_MAX_BYTES,
          redirect: 'manual',
        });
      } catch (error) {
        return refused(transportFailure('Point d’accès d’autorisation', error));
      }
      const { status } = response;
      if (status >= 300 && status < 400) {
        const raw = response.header('location');
        let location: URL | undefined;
        try {
          location = raw ? new URL(raw, url) : undefined;
        } catch {
          location = undefined;
        }
        if (!location) return refused(`Point d’accès d’autorisation : redirection HTTP ${status} sans destination valide`);
        if (!sameCallback(location, callback)) {
          return { status: 'ok', detail: `client_id reconnu et adresse de retour acceptée (${elapsed(startedAt)})`, clientKnown: true };
        }
        const rawError = location.searchParams.get('error');
        if (rawError === null) {
          return { status: 'ok', detail: `client_id reconnu et adresse de retour acceptée (${elapsed(startedAt)})`, clientKnown: true };
        }
        const error = sanitiseErrorCode(rawError);
        if (error !== undefined && KNOWN_CLIENT_ERRORS.has(error)) {
          return { status: 'ok', detail: `client_id reconnu et adresse de retour acceptée (${error}, ${elapsed(startedAt)})`, clientKnown: true };
        }
        return refused(`Demande d’autorisation refusée par l’environnement (erreur ${error ?? 'non standard'})`, true);
      }
      if (status >= 500) return refused(`Point d’accès d’autorisation injoignable (HTTP ${status})`);
      if (status >= 400) {
        const error = errorCodeOfPage(response);
        if (error === 'invalid_client') return refused(`client_id inconnu de cet environnement (invalid_client, HTTP ${status})`);
        if (error === 'invalid_redirect_uri') return refused(`Adresse de retour non déclarée pour ce client_id (invalid_redirect_uri, HTTP ${status})`, true);
        return refused(`client_id inconnu de cet environnement ou adresse de retour non déclarée (HTTP ${status}${error ? `, erreur ${error}` : ''})`);
      }
      return refused(`Point d’accès d’autorisation : réponse HTTP ${status} sans redirection, client_id ou adresse de retour probablement refusés`);
    },
    'Point d’accès d’autorisation : échec inattendu',
  );

  // 4. client_secret, at the token endpoint with a code that cannot exist. Only worth it when the
  // provider showed it knows the client (an unknown client would make any secret look refused).
  if (!('clientKnown' in clientIdStep) || !clientIdStep.clientKnown) {
    skip('client_secret', 'Non vérifié : le client_id n’a pas été reconnu');
    return report(steps);
  }
  await run(
    'client_secret',
    async () => {
      const startedAt = performance.now();
      if (clientSecret === '') return failed('Secret client absent de la configuration');
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code: randomAlphanumeric(43),
        redirect_uri: redirectUri,
        client_id: clientId,
        client_secret: clientSecret,
      });
      let response: OutboundResponse;
      try {
        response = await request({
          method: 'POST',
          url: provider.tokenEndpoint,
          headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': USER_AGENT },
          body: form.toString(),
          ...limits,
          maxResponseBytes: TOKEN_MAX_BYTES,
          redirect: 'manual',
        });
      } catch (error) {
        return failed(transportFailure('Point d’accès de jeton', error));
      }
      const { status } = response;
      if (status >= 500) return failed(`Point d’accès de jeton injoignable (HTTP ${status})`);
      const error = sanitiseErrorCode(jsonObject(response)?.error);
      if ((status === 400 || status === 401) && error === 'invalid_client') return failed(`Secret client refusé par l’environnement (invalid_client, HTTP ${status})`);
      if (status === 400 && error === 'invalid_grant') return ok(`Secret client accepté (code de test refusé comme prévu, ${elapsed(startedAt)})`);
      return failed(`Point d’accès de jeton : réponse inattendue (HTTP ${status}${error ? `, erreur ${error}` : ''})`);
    },
    'Point d’accès de jeton : échec inattendu',
  );
  return report(steps);
}

function report(steps: readonly FranceConnectProbeStep[]): FranceConnectProbeReport {
  const firstFailure = steps.find((step) => step.status === 'failed');
  const allOk = steps.length === 4 && steps.every((step) => step.status === 'ok');
  return Object.freeze({
    ok: allOk,
    steps: Object.freeze(steps.map((step) => Object.freeze({ ...step }))),
    summary: allOk ? FRANCECONNECT_PROBE_OK_SUMMARY : `Échec : ${firstFailure?.detail ?? 'vérification incomplète'}`,
  });
}
