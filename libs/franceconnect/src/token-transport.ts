/**
 * The token call stays passport-openidconnect's (node-oauth builds the `client_secret_post` body
 * and parses the answer), but its transport is bounded (SR-07), which node-oauth is not:
 * - an http(s) Agent with `minVersion: 'TLSv1.2'`, certificate verification, keep-alive (idle
 *   sockets closed after 4 s) and a bounded number of sockets;
 * - per call: a connect timeout and a total timeout that destroy the request and its socket, a
 *   response size bound, and every 3xx refused (node-oauth takes a 301/302 body as tokens);
 * - node-oauth's callback is delivered exactly once, even when the socket dies mid-body (where
 *   node-oauth itself would wait forever);
 * - the token response is checked (ID token shaped like a compact JWS whose payload is a JSON
 *   object, a Bearer access token) BEFORE passport-openidconnect parses it: a payload like `null`
 *   would otherwise throw inside its callback and take the process down.
 *
 * The guard is installed on a per-request view of the strategy's OAuth2 object
 * (`Object.create`), so concurrent logins of one tenant never share timers or outcomes.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { ProviderUnavailableError, TokenEndpointError, type FranceConnectError } from './errors.js';

export interface TokenTransportLimits {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
}

export type TokenCallback = (err: unknown, accessToken?: string, refreshToken?: string, results?: Record<string, unknown>) => void;

interface HttpLibrary {
  request(options: https.RequestOptions): http.ClientRequest;
}

/** The part of node-oauth's `OAuth2` the guard touches. */
export interface OAuth2Like {
  getOAuthAccessToken(code: string, params: Record<string, string>, callback: TokenCallback): void;
  _chooseHttpLibrary(parsedUrl: { protocol?: string | null }): HttpLibrary;
}

export interface TokenCallObserver {
  /** Records the precise failure (the caller reads it after passport wrapped the error). */
  failed(error: FranceConnectError): void;
  /** Checks the parsed token response; returns the failure, or undefined to let passport go on. */
  inspect(results: Record<string, unknown> | undefined, accessToken: string | undefined): FranceConnectError | undefined;
  /** passport's code threw inside node-oauth's callback: end the attempt. */
  crashed(error: unknown): void;
}

export interface BoundedAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
  destroy(): void;
}

/**
 * An idle pooled connection is closed after this long: below the 5 s keep-alive of Node servers
 * and the usual reverse proxies, so the relying party does not reuse a socket the provider is
 * closing (a token call on such a socket fails, and an authorization code cannot be sent twice).
 * A shorter `Keep-Alive: timeout=` announced by the provider wins (Node's agent honours it).
 */
export const IDLE_SOCKET_MS = 4_000;

/**
 * The agents of the token and userinfo calls: TLS >= 1.2, verified certificates, bounded
 * concurrency, and keep-alive (issue 15): the TLS handshake of the token call is reused by the
 * userinfo call and by the next logins of the same provider, instead of two handshakes per login.
 * Idle connections are kept at most {@link IDLE_SOCKET_MS}, and at most `maxFreeSockets` of them.
 */
export function boundedAgents(options: { maxSockets: number; maxFreeSockets?: number; ca?: string | Buffer | readonly (string | Buffer)[] | undefined }): BoundedAgents {
  const pooling = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxFreeSockets ?? 32, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  const plain = new http.Agent(pooling);
  const secure = new https.Agent({
    ...pooling,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: Array.isArray(options.ca) ? [...options.ca] : (options.ca as string | Buffer) }),
  });
  return {
    http: plain,
    https: secure,
    destroy: () => {
      plain.destroy();
      secure.destroy();
    },
  };
}

function tokenError(err: unknown): FranceConnectError {
  const failure = err as { statusCode?: unknown; data?: unknown; code?: unknown } | null;
  if (failure && typeof failure.statusCode === 'number') {
    let oauthError = '';
    if (typeof failure.data === 'string') {
      try {
        const parsed = JSON.parse(failure.data) as { error?: unknown };
        if (typeof parsed.error === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(parsed.error)) oauthError = `:${parsed.error}`;
      } catch {
        // not JSON: the status says enough
      }
    }
    return new TokenEndpointError(`token_http_${failure.statusCode}${oauthError}`, failure.statusCode);
  }
  const code = failure && typeof failure.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(failure.code) ? failure.code.toLowerCase() : 'failed';
  return new ProviderUnavailableError(`token_network_${code}`, true, err);
}

/** A per-request view of `base` whose token call is bounded and observed. */
export function guardTokenCall(base: OAuth2Like, agents: BoundedAgents, limits: TokenTransportLimits, observer: TokenCallObserver): OAuth2Like {
  const guarded = Object.create(base) as OAuth2Like;
  let current: http.ClientRequest | undefined;
  let abort: (error: FranceConnectError) => void = () => undefined;

  const attach = (req: http.ClientRequest, isHttps: boolean): void => {
    current = req;
    req.once('socket', (socket: Socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => abort(new ProviderUnavailableError('token_connect_timeout', true)), limits.connectTimeoutMs);
      socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.on('response', (res: http.IncomingMessage) => {
      res.on('error', () => undefined);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        abort(new TokenEndpointError(`token_redirect_${status}`, status));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
        abort(new TokenEndpointError('token_response_too_large', status));
        return;
      }
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxResponseBytes) abort(new TokenEndpointError('token_response_too_large', status));
      });
    });
  };

  guarded._chooseHttpLibrary = (parsedUrl) => {
    const isHttps = parsedUrl.protocol === 'https:';
    return {
      request: (options) => {
        const req = (isHttps ? https : http).request({ ...options, agent: isHttps ? agents.https : agents.http });
        attach(req, isHttps);
        return req;
      },
    };
  };

  guarded.getOAuthAccessToken = (code, params, callback) => {
    let delivered = false;
    const timers: { total?: NodeJS.Timeout } = {};
    const deliver = (...args: Parameters<TokenCallback>): void => {
      if (delivered) return;
      delivered = true;
      clearTimeout(timers.total);
      try {
        callback(...args);
      } catch (error) {
        observer.crashed(error);
      }
    };
    abort = (error) => {
      if (delivered) return;
      observer.failed(error);
      current?.destroy();
      deliver(error);
    };
    timers.total = setTimeout(() => abort(new ProviderUnavailableError('token_timeout', true)), limits.timeoutMs);
    try {
      base.getOAuthAccessToken.call(guarded, code, params, (err, accessToken, refreshToken, results) => {
        if (delivered) return;
        if (err) {
          const typed = tokenError(err);
          observer.failed(typed);
          deliver(typed);
          return;
        }
        const problem = observer.inspect(results, accessToken);
        if (problem) {
          observer.failed(problem);
          deliver(problem);
          return;
        }
        deliver(null, accessToken, refreshToken, results);
      });
    } catch (error) {
      abort(new ProviderUnavailableError('token_request_failed', true, error));
    }
  };
  return guarded;
}
