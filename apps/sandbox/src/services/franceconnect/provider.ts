import { createHash } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { MemoryStore } from './adapter.js';
import { adapterFactory } from './adapter.js';
import type { ClientRegistry } from './clients.js';
import { HTML_HEADERS, withQuery } from './http-utils.js';
import { findIdentity, identityClaims, pairwiseSubject } from './identities.js';
import type { SigningJwk } from './keys.js';
import { errorPage, loggedOutPage, logoutConfirmPage } from './pages.js';
import { ALL_SCOPES, oidcClaimsConfiguration } from './scopes.js';

/** Where FranceConnect v2 mounts its provider (`urlPrefix: '/api/v2'`). */
export const MOUNT_PATH = '/api/v2';

/** Lifetimes in seconds. */
export interface FranceConnectTtls {
  readonly authorizationCode: number;
  readonly accessToken: number;
  readonly idToken: number;
  readonly interaction: number;
  readonly session: number;
}

/** FranceConnect v2 "fcp-low" values (france-connect/sources `core-fcp-low` oidc-provider config). */
export const FRANCECONNECT_TTLS: FranceConnectTtls = Object.freeze({
  authorizationCode: 30,
  accessToken: 60,
  idToken: 60,
  interaction: 1800,
  session: 1800,
});

/** FranceConnect standard is eIDAS "low". */
export const ACR = 'eidas1';

export interface ProviderDeps {
  readonly store: MemoryStore;
  readonly registry: ClientRegistry;
  readonly signingKeys: readonly SigningJwk[];
  readonly ttl: FranceConnectTtls;
  readonly pairwiseSalt: string;
}

const COOKIE_NAMES = { session: 'fcsbx_session', interaction: 'fcsbx_interaction', resume: 'fcsbx_interaction_resume' };
const LONG_COOKIE = { httpOnly: true, sameSite: 'lax' as const, path: '/' };

function setHtmlHeaders(ctx: KoaContextWithOIDC): void {
  for (const [name, value] of Object.entries(HTML_HEADERS)) ctx.set(name, value);
}

function log(message: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'fcplat-sandbox', component: 'franceconnect', msg: message, error: detail })}\n`);
}

/**
 * Ends the FranceConnect session at once: grants and their tokens revoked, session destroyed,
 * session cookie cleared (what the confirmation step of oidc-provider would do with
 * `logout=yes`), then back to the registered `post_logout_redirect_uri` with the `state`.
 */
async function endSessionNow(ctx: KoaContextWithOIDC, deps: ProviderDeps): Promise<void> {
  const session = ctx.oidc.session;
  if (session) {
    for (const authorization of Object.values(session.authorizations ?? {})) {
      const grantId = authorization.grantId;
      if (typeof grantId === 'string') {
        deps.store.revokeByGrantId(grantId);
        deps.store.destroy('Grant', grantId);
      }
    }
    await session.destroy();
  }
  ctx.oidc.cookies.set(COOKIE_NAMES.session, null, LONG_COOKIE);
  const params = (ctx.oidc.params ?? {}) as { post_logout_redirect_uri?: unknown; state?: unknown };
  const target = typeof params.post_logout_redirect_uri === 'string' ? params.post_logout_redirect_uri : undefined;
  ctx.oidc.provider.emit('end_session.success', ctx);
  if (target) {
    ctx.status = 303;
    ctx.redirect(withQuery(target, { state: typeof params.state === 'string' ? params.state : undefined }));
    return;
  }
  setHtmlHeaders(ctx);
  ctx.status = 200;
  ctx.body = loggedOutPage(ctx.oidc.client?.clientName);
}

/**
 * FranceConnect's ID token carries `at_hash` (oidc-provider only adds it in implicit and hybrid
 * responses): at the token endpoint, hand the access token to the ID token, which hashes it.
 */
function addAtHash(provider: Provider): void {
  type Issue = (this: IdTokenInstance, options?: { use?: string }) => Promise<string>;
  type IdTokenInstance = { ctx?: KoaContextWithOIDC; set(key: string, value: unknown): void };
  const prototype = provider.IdToken.prototype as unknown as { issue: Issue };
  const issue = prototype.issue;
  prototype.issue = function issueWithAtHash(this: IdTokenInstance, options?: { use?: string }) {
    const accessToken = this.ctx?.oidc?.entities.AccessToken;
    if (options?.use === 'idtoken' && this.ctx?.oidc.route === 'token' && accessToken?.jti) this.set('at_hash', accessToken.jti);
    return issue.call(this, options);
  };
}

/** One oidc-provider instance for one issuer; instances of a service share store, keys and clients. */
export function createProvider(issuer: string, deps: ProviderDeps): Provider {
  const { ttl } = deps;
  const configuration: Configuration = {
    adapter: adapterFactory(deps.store, deps.registry),
    jwks: { keys: deps.signingKeys.map((key) => ({ ...key })) },
    acrValues: [ACR],
    claims: oidcClaimsConfiguration(),
    scopes: [...ALL_SCOPES],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => {
      const identity = findIdentity(accountId);
      if (identity) return pairwiseSubject(client.clientId, identity, deps.pairwiseSalt);
      return `${createHash('sha256').update(`${client.clientId}${accountId}${deps.pairwiseSalt}`).digest('hex')}v1`;
    },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
      subject_type: 'pairwise',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
    },
    // FranceConnect refuses PKCE parameters outright (see authorize-guard.ts); never require it.
    pkce: { required: () => false },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/session/end',
      revocation: '/token/revocation',
    },
    ttl: {
      AuthorizationCode: ttl.authorizationCode,
      AccessToken: ttl.accessToken,
      IdToken: ttl.idToken,
      Interaction: ttl.interaction,
      Session: ttl.session,
      Grant: ttl.session,
    },
    cookies: {
      names: COOKIE_NAMES,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    discovery: { ui_locales_supported: ['fr'], claim_types_supported: ['normal'] },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      claimsParameter: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // FranceConnect ends the session without asking when the hint is valid.
          if (ctx.oidc.entities.IdTokenHint && ctx.oidc.client) {
            await endSessionNow(ctx, deps);
            return;
          }
          setHtmlHeaders(ctx);
          ctx.body = logoutConfirmPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: (ctx) => {
          setHtmlHeaders(ctx);
          ctx.body = loggedOutPage(ctx.oidc.client?.clientName);
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `${MOUNT_PATH}/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx, accountId) => {
      const identity = findIdentity(accountId);
      if (!identity) return undefined;
      return { accountId, claims: () => ({ sub: accountId, ...identityClaims(identity) }) };
    },
    // No consent screen (FranceConnect's public service providers): the grant covers what is asked.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      const grant = existing && existing.accountId === session.accountId ? existing : new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes]);
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      setHtmlHeaders(ctx);
      ctx.body = errorPage('Une erreur est survenue', out.error, out.error_description);
    },
  };

  const provider = new Provider(issuer, configuration);

  // A valid hint on a browser whose FranceConnect session is already gone: oidc-provider would
  // answer an auto-submitting form; FranceConnect goes straight back to the service.
  provider.use(async (ctx, next) => {
    await next();
    const oidcCtx = ctx as unknown as KoaContextWithOIDC & { _matchedRouteName?: string };
    if (oidcCtx._matchedRouteName !== 'end_session' || ctx.status !== 200) return;
    const { entities, params } = oidcCtx.oidc;
    const target = (params as { post_logout_redirect_uri?: unknown } | undefined)?.post_logout_redirect_uri;
    if (!entities.IdTokenHint || !entities.Client || oidcCtx.oidc.session?.accountId || typeof target !== 'string') return;
    const state = (params as { state?: unknown }).state;
    ctx.status = 303;
    ctx.redirect(withQuery(target, { state: typeof state === 'string' ? state : undefined }));
  });

  addAtHash(provider);
  provider.on('server_error', (_ctx: unknown, error: unknown) => log('provider error', error));
  return provider;
}
