/**
 * Negative protocol tests (issue 4, acceptance 3) against a misbehaving provider on 127.0.0.1
 * (@fcplat/testing's faulty OP), with the state store in the real PostgreSQL. For every fault:
 * no result (so no session can be created), the right typed error with its French message,
 * userinfo never called after a bad ID token (the provider counts calls), and the process stays
 * up (no uncaught exception, no unhandled rejection, an honest login still works afterwards).
 */
import type { DataSource } from 'typeorm';
import { FAULTY_OP_FAULTS, makeTenant, migratedTestDataSource, startFaultyOp, type FaultyOp, type FaultyOpClient, type FaultyOpFault } from '@fcplat/testing';
import {
  FRANCECONNECT_MESSAGES,
  FranceConnectError,
  FranceConnectRelyingParty,
  randomAlphanumeric,
  type FranceConnectErrorCode,
  type FranceConnectLogin,
  type RelyingPartyClient,
  type RelyingPartyOptions,
} from '../src/index.js';
import { MapClientSource, newBinding, rejectionOf, sleep } from './support.js';

const TOKEN_TIMEOUT_MS = 1_000;

describe('FranceConnect relying party against a misbehaving provider', () => {
  let ds: DataSource;
  let op: FaultyOp;
  let rp: FranceConnectRelyingParty;
  const source = new MapClientSource();
  const extraParties: FranceConnectRelyingParty[] = [];
  const extraProviders: FaultyOp[] = [];
  let tenantA: string;
  let tenantB: string;
  let clientA: FaultyOpClient;
  const binding = newBinding();
  const processEvents: string[] = [];
  const onUncaught = (error: unknown): void => {
    processEvents.push(`uncaughtException: ${String(error)}`);
  };
  const onUnhandled = (reason: unknown): void => {
    processEvents.push(`unhandledRejection: ${String(reason)}`);
  };

  function clientOf(tenantId: string, client: FaultyOpClient, issuer = op.issuer): RelyingPartyClient {
    return {
      tenantId,
      environment: 'custom',
      issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      signingAlgorithm: 'ES256',
      redirectUri: client.redirectUri,
      postLogoutRedirectUri: client.postLogoutRedirectUri,
      scopes: ['identite_pivot', 'email'],
    };
  }

  function party(overrides: Partial<RelyingPartyOptions> = {}): FranceConnectRelyingParty {
    const created = new FranceConnectRelyingParty({
      clients: source,
      database: ds,
      allowCustomIssuers: true,
      tokenTimeoutMs: TOKEN_TIMEOUT_MS,
      http: { timeoutMs: 1_000, connectTimeoutMs: 500 },
      ...overrides,
    });
    extraParties.push(created);
    return created;
  }

  /** A whole login through the faulty provider: begin, the browser's trip, the callback. */
  async function login(relyingParty = rp, tenantKey = tenantA, browserBinding = binding, provider = op): Promise<FranceConnectLogin> {
    const { url } = await relyingParty.beginLogin(tenantKey, browserBinding, 'login');
    const callback = await provider.authorize(url);
    return relyingParty.completeLogin(tenantKey, browserBinding, callback.searchParams);
  }

  async function failedLogin(fault: FaultyOpFault, relyingParty = rp): Promise<FranceConnectError> {
    op.setFault(fault);
    op.resetCounts();
    try {
      const error = await rejectionOf(login(relyingParty));
      if (!(error instanceof FranceConnectError)) throw error;
      return error;
    } finally {
      op.setFault('none');
    }
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
    ds = await migratedTestDataSource('fc-rp-faults');
    op = await startFaultyOp({ slowMs: 10_000 });
    tenantA = (await makeTenant(ds)).id;
    tenantB = (await makeTenant(ds)).id;
    clientA = op.addClient();
    source.set(tenantA, clientOf(tenantA, clientA));
    source.set(tenantB, clientOf(tenantB, op.addClient()));
    rp = party();
  });

  afterAll(async () => {
    for (const created of extraParties) created.close();
    for (const provider of extraProviders) await provider.close();
    await op.close();
    await ds.destroy();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
  });

  it('sends exactly the authorize parameters FranceConnect accepts, with fresh 43-character state and nonce', async () => {
    await login();
    const sent = op.lastAuthorize as URLSearchParams;
    expect([...sent.keys()].sort()).toEqual(['acr_values', 'client_id', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(sent.get('response_type')).toBe('code');
    expect(sent.get('acr_values')).toBe('eidas1');
    expect(sent.get('scope')).toBe('openid identite_pivot email');
    expect(sent.get('redirect_uri')).toBe(clientA.redirectUri);
    expect(sent.get('state')).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(sent.get('nonce')).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(sent.get('state')).not.toBe(sent.get('nonce'));
    const previous = { state: sent.get('state'), nonce: sent.get('nonce') };

    const { url } = await rp.beginLogin(tenantA, binding, 'signup', { prompt: 'login consent', scopes: ['openid', 'identite_pivot', 'cnaf_quotient_familial'] });
    const withPrompt = new URL(url).searchParams;
    expect([...withPrompt.keys()].sort()).toEqual(['acr_values', 'client_id', 'nonce', 'prompt', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(withPrompt.get('prompt')).toBe('login consent');
    expect(withPrompt.get('scope')).toBe('openid identite_pivot cnaf_quotient_familial');
    expect(withPrompt.get('state')).not.toBe(previous.state);
    expect(withPrompt.get('nonce')).not.toBe(previous.nonce);
  });

  // ----------------------------------------------------------------------------- ID token

  const idTokenFaults: [FaultyOpFault, string][] = [
    ['bad_signature', 'id_token_signature'],
    ['alg_none', 'id_token_alg_none'],
    ['hs256', 'id_token_alg_hmac'],
    ['alg_mismatch', 'id_token_alg_not_allowed'],
    ['jwk_header', 'id_token_header_jwk'],
    ['jku_header', 'id_token_header_jku'],
    ['wrong_iss', 'id_token_iss'],
    ['wrong_aud', 'id_token_aud'],
    ['multiple_aud_without_azp', 'id_token_azp_missing'],
    ['wrong_azp', 'id_token_azp'],
    ['expired', 'id_token_expired'],
    ['missing_iat', 'id_token_claim_iat'],
    ['iat_too_old', 'id_token_iat_too_old'],
    ['iat_in_future', 'id_token_claim_iat'],
    ['wrong_nonce', 'id_token_nonce'],
    ['missing_nonce', 'id_token_nonce'],
    ['wrong_acr', 'id_token_acr'],
    ['missing_acr', 'id_token_claim_acr'],
    ['unknown_kid', 'id_token_unknown_kid'],
    ['id_token_null_payload', 'id_token_malformed'],
    ['id_token_garbage', 'id_token_malformed'],
  ];

  it.each(idTokenFaults)('ID token fault %s: ID_TOKEN_INVALID (%s), no userinfo call, logout recommended', async (fault, reason) => {
    const error = await failedLogin(fault);
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.reason).toBe(reason);
    expect(error.message).toBe('La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.');
    expect(error.logoutRecommended).toBe(true);
    expect(error.idTokenHint).toBeNull();
    expect(op.counts.token).toBe(1);
    expect(op.counts.userinfo).toBe(0);
  });

  // ----------------------------------------------------------------------------- userinfo

  const userinfoFaults: [FaultyOpFault, FranceConnectErrorCode, string][] = [
    ['userinfo_sub_mismatch', 'USERINFO_INVALID', 'userinfo_sub_mismatch'],
    ['userinfo_json', 'USERINFO_INVALID', 'userinfo_not_jwt'],
    ['userinfo_html', 'USERINFO_INVALID', 'userinfo_not_jwt'],
    ['userinfo_unsigned', 'USERINFO_INVALID', 'userinfo_alg_none'],
    ['userinfo_hs256', 'USERINFO_INVALID', 'userinfo_alg_hmac'],
    ['userinfo_bad_signature', 'USERINFO_INVALID', 'userinfo_signature'],
    ['userinfo_wrong_aud', 'USERINFO_INVALID', 'userinfo_claim_aud'],
    ['userinfo_wrong_iss', 'USERINFO_INVALID', 'userinfo_claim_iss'],
    ['userinfo_oversized', 'USERINFO_INVALID', 'userinfo_response_too_large'],
    ['userinfo_redirect', 'USERINFO_INVALID', 'userinfo_redirect'],
    ['userinfo_500', 'PROVIDER_UNAVAILABLE', 'userinfo_http_500'],
  ];

  it.each(userinfoFaults)('userinfo fault %s: %s (%s), the verified ID token is handed over for the logout', async (fault, code, reason) => {
    const error = await failedLogin(fault);
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.logoutRecommended).toBe(true);
    expect(error.idTokenHint).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(error.message).toBe(code === 'USERINFO_INVALID' ? FRANCECONNECT_MESSAGES.notVerified : FRANCECONNECT_MESSAGES.unavailable);
    expect(op.counts.userinfo).toBe(1);
    // The hint is good enough for FranceConnect to end the session without asking.
    const logout = new URL((await rp.logoutUrl(tenantA, binding, error.idTokenHint)).url);
    expect(logout.searchParams.get('id_token_hint')).toBe(error.idTokenHint);
  });

  // ----------------------------------------------------------------------------- token endpoint

  const tokenFaults: [FaultyOpFault, FranceConnectErrorCode, string, number | undefined][] = [
    ['token_500', 'TOKEN_ENDPOINT_ERROR', 'token_http_500:server_error', 500],
    ['token_invalid_grant', 'TOKEN_ENDPOINT_ERROR', 'token_http_400:invalid_grant', 400],
    ['token_redirect', 'TOKEN_ENDPOINT_ERROR', 'token_redirect_302', 302],
    ['token_oversized', 'TOKEN_ENDPOINT_ERROR', 'token_response_too_large', 200],
    ['token_html', 'TOKEN_ENDPOINT_ERROR', 'token_response_without_id_token', undefined],
    ['token_not_bearer', 'TOKEN_ENDPOINT_ERROR', 'token_type_not_bearer', undefined],
    ['no_id_token', 'TOKEN_ENDPOINT_ERROR', 'token_response_without_id_token', undefined],
  ];

  it.each(tokenFaults)('token endpoint fault %s: %s (%s)', async (fault, code, reason, status) => {
    const error = await failedLogin(fault);
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe('La connexion avec FranceConnect n’a pas pu aboutir. Veuillez réessayer dans quelques instants.');
    expect(error.logoutRecommended).toBe(true);
    if (status !== undefined) expect((error as FranceConnectError & { status?: number }).status).toBe(status);
    expect(op.counts.token).toBe(1);
    expect(op.counts.userinfo).toBe(0);
  });

  it.each(['token_slow', 'token_stalled_body'] as const)('token endpoint %s: bounded by the token timeout, PROVIDER_UNAVAILABLE', async (fault) => {
    op.setFault(fault);
    op.resetCounts();
    try {
      const { url } = await rp.beginLogin(tenantA, binding, 'login');
      const callback = await op.authorize(url);
      const startedAt = Date.now();
      const error = await rejectionOf(rp.completeLogin(tenantA, binding, callback.searchParams));
      const elapsed = Date.now() - startedAt;
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'token_timeout', logoutRecommended: true, message: FRANCECONNECT_MESSAGES.unavailable });
      expect(elapsed).toBeGreaterThanOrEqual(TOKEN_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TOKEN_TIMEOUT_MS + 1_500);
      expect(op.counts.userinfo).toBe(0);
    } finally {
      op.setFault('none');
    }
  });

  // ----------------------------------------------------------------------------- callback guards

  it('stops a callback without code (never a new login), and maps provider errors', async () => {
    op.resetCounts();
    const { url } = await rp.beginLogin(tenantA, binding, 'login');
    const state = new URL(url).searchParams.get('state') ?? '';
    const noCode = await rejectionOf(rp.completeLogin(tenantA, binding, { state }));
    expect(noCode).toMatchObject({ code: 'CALLBACK_INVALID', reason: 'code_missing', logoutRecommended: true, message: FRANCECONNECT_MESSAGES.notVerified });
    // The state that came with it is burnt, and nothing went to the provider.
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'c', state }))).toMatchObject({ code: 'STATE_INVALID', failure: 'used' });
    expect(op.counts).toMatchObject({ authorize: 0, token: 0, userinfo: 0 });

    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { error: 'access_denied', error_description: 'User authentication aborted' }))).toMatchObject({
      code: 'ACCESS_DENIED',
      message: 'La connexion avec FranceConnect a été annulée.',
      logoutRecommended: false,
    });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { error: 'server_error', state }))).toMatchObject({
      code: 'PROVIDER_ERROR',
      reason: 'provider_error:server_error',
      message: FRANCECONNECT_MESSAGES.providerError,
      logoutRecommended: true,
    });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { error: '<script>alert(1)</script>' }))).toMatchObject({ code: 'PROVIDER_ERROR', reason: 'provider_error:unknown' });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'x', state: [state, state] }))).toMatchObject({ code: 'CALLBACK_INVALID', reason: 'state_not_a_single_string' });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, new URLSearchParams(`code=a&code=b&state=${state}`)))).toMatchObject({ code: 'CALLBACK_INVALID' });
    expect(op.counts.token).toBe(0);
  });

  it('refuses a callback whose iss names another issuer (mix-up), before any token call', async () => {
    op.resetCounts();
    const { url } = await rp.beginLogin(tenantA, binding, 'login');
    const callback = await op.authorize(url);
    callback.searchParams.set('iss', 'https://oidc.evil.example/api/v2');
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, callback.searchParams))).toMatchObject({ code: 'CALLBACK_INVALID', reason: 'iss_mismatch' });
    expect(op.counts.token).toBe(0);
  });

  // ----------------------------------------------------------------------------- state

  it('refuses a replayed state without a second token call, and lets only one of two racing callbacks through', async () => {
    op.resetCounts();
    const { url } = await rp.beginLogin(tenantA, binding, 'login');
    const callback = await op.authorize(url);
    await expect(rp.completeLogin(tenantA, binding, callback.searchParams)).resolves.toMatchObject({ tenantId: tenantA });
    const replay = await rejectionOf(rp.completeLogin(tenantA, binding, callback.searchParams));
    expect(replay).toMatchObject({ code: 'STATE_INVALID', failure: 'used', reason: 'state_used', logoutRecommended: true, message: FRANCECONNECT_MESSAGES.notVerified });
    expect(op.counts.token).toBe(1);

    op.resetCounts();
    const second = await op.authorize((await rp.beginLogin(tenantA, binding, 'login')).url);
    const outcomes = await Promise.allSettled([
      rp.completeLogin(tenantA, binding, second.searchParams),
      rp.completeLogin(tenantA, binding, second.searchParams),
      rp.completeLogin(tenantA, binding, second.searchParams),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({ code: 'STATE_INVALID', failure: 'used' });
    }
    expect(op.counts.token).toBe(1);
  });

  it('refuses a state of another tenant or another browser, keeping it for its owner', async () => {
    op.resetCounts();
    const { url } = await rp.beginLogin(tenantA, binding, 'login');
    const callback = await op.authorize(url);
    expect(await rejectionOf(rp.completeLogin(tenantB, binding, callback.searchParams))).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_tenant' });
    expect(await rejectionOf(rp.completeLogin(tenantA, newBinding(), callback.searchParams))).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_binding' });
    expect(op.counts.token).toBe(0);
    await expect(rp.completeLogin(tenantA, binding, callback.searchParams)).resolves.toMatchObject({ tenantId: tenantA });
  });

  it('refuses unknown, malformed, missing and expired states without a token call', async () => {
    op.resetCounts();
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'c', state: randomAlphanumeric(43) }))).toMatchObject({ failure: 'unknown' });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'c', state: 'short' }))).toMatchObject({ failure: 'malformed' });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'c', state: `${randomAlphanumeric(40)}+/=` }))).toMatchObject({ failure: 'malformed' });
    expect(await rejectionOf(rp.completeLogin(tenantA, binding, { code: 'c' }))).toMatchObject({ code: 'STATE_INVALID', failure: 'missing' });

    const shortLived = party({ stateTtlMs: 400 });
    const { url, expiresAt } = await shortLived.beginLogin(tenantA, binding, 'login');
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(400);
    const callback = await op.authorize(url);
    await sleep(600);
    expect(await rejectionOf(shortLived.completeLogin(tenantA, binding, callback.searchParams))).toMatchObject({ code: 'STATE_INVALID', failure: 'expired' });
    expect(op.counts.token).toBe(0);
  });

  it('keeps at most 10 pending logins per tenant and browser, dropping the oldest', async () => {
    const browser = newBinding();
    const urls: string[] = [];
    for (let i = 0; i < 12; i += 1) urls.push((await rp.beginLogin(tenantA, browser, 'login')).url);
    const [oldest, , third] = await Promise.all(urls.slice(0, 3).map((url) => op.authorize(url)));
    expect(await rejectionOf(rp.completeLogin(tenantA, browser, (oldest as URL).searchParams))).toMatchObject({ code: 'STATE_INVALID', failure: 'unknown' });
    await expect(rp.completeLogin(tenantA, browser, (third as URL).searchParams)).resolves.toMatchObject({ tenantId: tenantA });
    const [{ pending }] = (await ds.query(
      `SELECT count(*)::int AS pending FROM franceconnect_state WHERE tenant_id = $1 AND consumed_at IS NULL AND binding_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')`,
      [tenantA, browser],
    )) as [{ pending: number }];
    expect(pending).toBe(9);
  });

  it('purges states expired for more than an hour', async () => {
    const tenant = (await makeTenant(ds)).id;
    source.set(tenant, clientOf(tenant, clientA));
    await rp.beginLogin(tenant, newBinding(), 'login');
    await rp.beginLogin(tenant, newBinding(), 'login');
    await rp.logoutUrl(tenant, newBinding(), null);
    await ds.query(`UPDATE franceconnect_state SET created_at = now() - interval '3 hours', expires_at = now() - interval '2 hours' WHERE tenant_id = $1`, [tenant]);
    // Other suites share the table and purge too: the count may include (or miss) their rows.
    expect(await rp.purgeExpiredStates()).toEqual(expect.any(Number));
    const [{ left }] = (await ds.query(`SELECT count(*)::int AS left FROM franceconnect_state WHERE tenant_id = $1`, [tenant])) as [{ left: number }];
    expect(left).toBe(0);
  });

  it('refuses a pending login when the tenant’s client changed in between, and rebuilds the strategy', async () => {
    op.resetCounts();
    const { url } = await rp.beginLogin(tenantB, binding, 'login');
    const callback = await op.authorize(url);
    const before = rp.stats().strategies;
    source.set(tenantB, clientOf(tenantB, op.addClient()));
    expect(await rejectionOf(rp.completeLogin(tenantB, binding, callback.searchParams))).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_client' });
    expect(op.counts.token).toBe(0);
    await expect(login(rp, tenantB)).resolves.toMatchObject({ clientId: source.clients.get(tenantB)?.clientId });
    expect(rp.stats().strategies).toBe(before);
  });

  // ----------------------------------------------------------------------------- discovery and JWKS

  /** A provider of its own (its keys rotate) with a tenant of its own. */
  async function isolatedProvider(): Promise<{ provider: FaultyOp; tenant: string }> {
    const provider = await startFaultyOp();
    extraProviders.push(provider);
    const tenant = (await makeTenant(ds)).id;
    source.set(tenant, clientOf(tenant, provider.addClient(), provider.issuer));
    return { provider, tenant };
  }

  it('accepts rotated keys after exactly one JWKS refetch', async () => {
    const { provider, tenant } = await isolatedProvider();
    const rotating = party({ jwksCooldownMs: 60_000 });
    await login(rotating, tenant, binding, provider);
    expect(provider.counts.jwks).toBe(1);
    await provider.rotateKeys();
    await expect(login(rotating, tenant, binding, provider)).resolves.toMatchObject({ tenantId: tenant });
    expect(provider.counts.jwks).toBe(2);
    expect(rotating.jwksFetchCount(provider.issuer)).toBe(2);
    // Known keys: no more fetches.
    await login(rotating, tenant, binding, provider);
    expect(provider.counts.jwks).toBe(2);
    // A second rotation within the cooldown is not fetched for: refused until the cooldown ends.
    await provider.rotateKeys();
    expect(await rejectionOf(login(rotating, tenant, binding, provider))).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'id_token_unknown_kid' });
    expect(provider.counts.jwks).toBe(2);
  });

  it('refetches the JWKS at most once per cooldown under a flood of unknown-kid tokens', async () => {
    const { provider, tenant } = await isolatedProvider();
    const cooldownMs = 1_000;
    const flooded = party({ jwksCooldownMs: cooldownMs });
    await login(flooded, tenant, binding, provider);
    expect(provider.counts.jwks).toBe(1);

    provider.setFault('unknown_kid');
    const burst = async (n: number): Promise<PromiseSettledResult<FranceConnectLogin>[]> =>
      Promise.allSettled(Array.from({ length: n }, () => login(flooded, tenant, newBinding(), provider)));
    const first = await burst(20);
    expect(first.every((o) => o.status === 'rejected' && (o.reason as FranceConnectError).reason === 'id_token_unknown_kid')).toBe(true);
    expect(provider.counts.jwks).toBe(2);
    const second = await burst(10);
    expect(second.every((o) => o.status === 'rejected')).toBe(true);
    expect(provider.counts.jwks).toBe(2);
    await sleep(cooldownMs + 50);
    await burst(5);
    expect(provider.counts.jwks).toBe(3);
    expect(provider.counts.token).toBe(36);
    expect(provider.counts.userinfo).toBe(1);
  });

  it('refuses a discovery document of another issuer or with a foreign endpoint, and an oversized JWKS', async () => {
    op.setFault('discovery_wrong_issuer');
    try {
      const error = await rejectionOf(party().beginLogin(tenantA, binding, 'login'));
      expect(error).toMatchObject({ code: 'PROVIDER_MISCONFIGURED', reason: 'discovery_issuer_mismatch', logoutRecommended: false });
      op.setFault('discovery_foreign_endpoint');
      expect(await rejectionOf(party().beginLogin(tenantA, binding, 'login'))).toMatchObject({ code: 'PROVIDER_MISCONFIGURED', reason: 'discovery_token_endpoint_foreign' });
      op.setFault('jwks_oversized');
      op.resetCounts();
      const fresh = party();
      const failure = await rejectionOf(login(fresh));
      expect(failure).toMatchObject({ code: 'PROVIDER_MISCONFIGURED', reason: 'jwks_outbound_response_too_large', logoutRecommended: true });
      expect(op.counts.userinfo).toBe(0);
    } finally {
      op.setFault('none');
    }
  });

  it('answers PROVIDER_UNAVAILABLE quickly when the provider is down', async () => {
    const closed = await startFaultyOp();
    const issuer = closed.issuer;
    await closed.close();
    const tenant = (await makeTenant(ds)).id;
    source.set(tenant, clientOf(tenant, clientA, issuer));
    const startedAt = Date.now();
    const error = await rejectionOf(rp.beginLogin(tenant, binding, 'login'));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'discovery_outbound_network_error', retryable: true, logoutRecommended: false });
    expect((error as Error).message).toBe('FranceConnect ne répond pas pour le moment. Veuillez réessayer dans quelques instants.');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('covers every fault the misbehaving provider can forge', () => {
    const tested = new Set<FaultyOpFault>([
      'none',
      ...idTokenFaults.map(([fault]) => fault),
      ...userinfoFaults.map(([fault]) => fault),
      ...tokenFaults.map(([fault]) => fault),
      'token_slow',
      'token_stalled_body',
      'discovery_wrong_issuer',
      'discovery_foreign_endpoint',
      'jwks_oversized',
    ]);
    expect([...FAULTY_OP_FAULTS].filter((fault) => !tested.has(fault))).toEqual([]);
  });

  // ----------------------------------------------------------------------------- the process

  it('is still up after every fault: no uncaught exception, no unhandled rejection, honest logins work', async () => {
    await sleep(50);
    expect(processEvents).toEqual([]);
    op.resetCounts();
    const result = await login();
    expect(result.claims).toMatchObject({ family_name: 'DUBOIS' });
    expect(op.counts).toMatchObject({ token: 1, userinfo: 1 });
  });
});
