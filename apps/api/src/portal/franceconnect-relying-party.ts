import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { SecretDecryptionError } from '@fcplat/crypto';
import { CITIZEN_FRANCECONNECT_PURPOSES, HabilitationEntity, TenantEntity, type FranceConnectEnvironment, type SqlRunner } from '@fcplat/db';
import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, FRANCECONNECT_SCOPES, franceConnectScopesFor, franceConnectUrisOf, isEnvironmentOf, isApiParticulierScope, type ApiParticulierSelection, type CallModality } from '@fcplat/domain';
import {
  FranceConnectRelyingParty,
  isFranceConnectError,
  type FranceConnectLogin,
  type RelyingPartyClient,
  type RelyingPartyClientSource,
} from '@fcplat/franceconnect';
import { ChangeFeed, InvalidatedCache } from '../infrastructure/change-feed.js';
import { TENANT_SETTINGS_TABLES } from './portal-tenants.service.js';
import { DATA_SOURCE, HOT_SQL, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { TenantCredentialsService } from '../tenants/tenant-credentials.service.js';
import { LiveEnvironmentsService } from '../tenants/live-environments.service.js';
import {
  FranceConnectFlowError,
  type FlowTenant,
  type FranceConnectAuthentication,
  type FranceConnectFlows,
  type FranceConnectPurpose,
} from './franceconnect-flows.js';

/** Scopes of a login when the tenant's FranceConnect habilitation lists none: the pivot identity (FC-17) and the e-mail. */
export const DEFAULT_LOGIN_SCOPES: readonly string[] = ['identite_pivot', 'email'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CACHED_TENANTS = 5_000;
const SETTINGS_TTL_MS = 5 * 60 * 1000;

/** The scopes a tenant's habilitations allow: at login, and for a data retrieval. */
interface TenantScopes {
  readonly login: readonly string[];
  readonly dataRetrieval: readonly string[];
}

/**
 * The relying party's tenant key of a flow: the tenant id (its live environment), or
 * `<tenant id>:<environment>` for the qualification robot's browser (its pass's environment).
 */
export function tenantKeyOf(tenant: FlowTenant): string {
  return tenant.environment ? `${tenant.id}:${tenant.environment}` : tenant.id;
}

/**
 * Gives the relying party a tenant's FranceConnect client (engineering habit 7): the credentials
 * of the tenant's live environment, chosen by staff (none chosen, or none usable: no client, and
 * the portal says FranceConnect is unavailable; never another environment), redirect URIs from the
 * public URL and the slug (the contract declared at FranceConnect), and the login scopes from the
 * tenant's FranceConnect habilitation (always with the pivot identity). The tenant key is the
 * tenant's id; a suspended or unknown tenant has no client.
 */
@Injectable()
export class VaultClientSource implements RelyingPartyClientSource {
  /**
   * Clients (decrypted) and scopes, per process, bounded, dropped on any committed change of the
   * tenant, its live environments, credentials or habilitations, on any replica (`ChangeFeed`):
   * the login route and the callback read no table for them. A client that cannot be built (no
   * live environment, no credentials) is not cached.
   */
  private readonly clients: InvalidatedCache<string, RelyingPartyClient>;
  private readonly scopes: InvalidatedCache<string, TenantScopes>;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly credentials: TenantCredentialsService,
    private readonly environments: LiveEnvironmentsService,
    private readonly logger: PinoLogger,
    feed: ChangeFeed,
  ) {
    logger.setContext('FranceConnectClients');
    const options = { tables: TENANT_SETTINGS_TABLES, maxEntries: MAX_CACHED_TENANTS, ttlMs: SETTINGS_TTL_MS };
    this.clients = new InvalidatedCache(feed, options);
    this.scopes = new InvalidatedCache(feed, options);
  }

  async clientFor(tenantKey: string): Promise<RelyingPartyClient | null> {
    const [tenantId = '', forced, ...rest] = tenantKey.split(':');
    if (!UUID.test(tenantId) || rest.length > 0 || (forced !== undefined && !isEnvironmentOf('franceconnect', forced))) return null;
    return this.clients.get(tenantKey, async () => {
      const client = await this.loadClient(tenantId, forced as FranceConnectEnvironment | undefined);
      return client ? { value: Object.freeze(client), dependsOn: tenantId } : null;
    });
  }

  private async loadClient(tenantId: string, forced: FranceConnectEnvironment | undefined): Promise<RelyingPartyClient | null> {
    const tenant = await this.dataSource.getRepository(TenantEntity).findOne({ where: { id: tenantId, status: 'active' } });
    if (!tenant) return null;
    // The environment staff chose, and no other (no fallback to whichever credentials exist),
    // unless the key names one: the robot's pass, checked by RobotPassService.
    const environment = forced ?? ((await this.environments.liveOf(tenant.id, 'franceconnect')) as FranceConnectEnvironment | null);
    if (!environment) return null;
    let secrets;
    try {
      secrets = await this.credentials.franceConnectClient(tenant.id, environment);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      this.logger.warn({ tenantId: tenant.id, environment, code: error.code }, 'FranceConnect client secret does not decrypt');
      return null;
    }
    if (!secrets) return null;
    const uris = franceConnectUrisOf(this.config.http.publicUrl, tenant.slug);
    return {
      tenantId: tenant.id,
      environment,
      issuer: secrets.issuerUrl,
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      signingAlgorithm: secrets.signingAlgorithm,
      redirectUri: uris.redirectUri,
      postLogoutRedirectUri: uris.postLogoutRedirectUri,
      scopes: [...(await this.scopesOf(tenant.id)).login],
    };
  }

  /** The pivot identity plus the identity scopes of the tenant's FranceConnect habilitation (or the defaults). */
  async loginScopes(tenantId: string): Promise<string[]> {
    return [...(await this.scopesOf(tenantId)).login];
  }

  /**
   * Scopes of a data retrieval: the pivot identity and the data scopes of the validated API
   * Particulier habilitation for the APIs it may call with FranceConnect (domain's
   * `franceConnectScopesFor`), `openid` aside (the relying party adds it).
   */
  async dataRetrievalScopes(tenantId: string): Promise<string[]> {
    return [...(await this.scopesOf(tenantId)).dataRetrieval];
  }

  private async scopesOf(tenantId: string): Promise<TenantScopes> {
    const scopes = await this.scopes.get(tenantId, async () => ({
      value: Object.freeze({ login: Object.freeze(await this.loadLoginScopes(tenantId)), dataRetrieval: Object.freeze(await this.loadDataRetrievalScopes(tenantId)) }),
      dependsOn: tenantId,
    }));
    return scopes ?? { login: [], dataRetrieval: [] };
  }

  private async loadLoginScopes(tenantId: string): Promise<string[]> {
    const habilitation = await this.dataSource.getRepository(HabilitationEntity).findOne({ where: { tenantId, product: 'franceconnect' } });
    const granted = (habilitation?.scopes ?? []).filter((s) => (FRANCECONNECT_SCOPES as readonly string[]).includes(s) && s !== 'openid');
    const scopes = granted.length > 0 ? granted : [...DEFAULT_LOGIN_SCOPES];
    return scopes.includes('identite_pivot') ? scopes : ['identite_pivot', ...scopes];
  }

  private async loadDataRetrievalScopes(tenantId: string): Promise<string[]> {
    const habilitation = await this.dataSource.getRepository(HabilitationEntity).findOne({ where: { tenantId, product: 'api_particulier', state: 'validated' } });
    const selections: ApiParticulierSelection[] = [];
    if (habilitation) {
      for (const api of API_PARTICULIER_APIS) {
        const scopes = API_PARTICULIER_CATALOGUE[api].scopes.map((s) => s.scope).filter((s) => habilitation.scopes.includes(s));
        if (scopes.length > 0) selections.push({ api, modalities: habilitation.modalities as CallModality[], scopes });
      }
    }
    return franceConnectScopesFor(selections).filter((s) => s !== 'openid');
  }
}

/**
 * {@link FranceConnectFlows} over the platform's relying party (`@fcplat/franceconnect`): one
 * instance per process, tenant key = tenant id, the browser binding = the hash of the portal's
 * binding cookie. Its typed errors become {@link FranceConnectFlowError}s (French message,
 * `logoutRecommended`, the verified ID token when there is one).
 */
@Injectable()
export class RelyingPartyFlows implements FranceConnectFlows, OnModuleDestroy {
  readonly relyingParty: FranceConnectRelyingParty;

  constructor(
    @Inject(HOT_SQL) hotSql: SqlRunner,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    private readonly clients: VaultClientSource,
  ) {
    // The states are written and consumed by autocommit statements on every login: prepared ones.
    this.relyingParty = new FranceConnectRelyingParty({ clients, database: hotSql, allowCustomIssuers: config.features.allowCustomEndpoints && !config.isProduction });
  }

  onModuleDestroy(): void {
    this.relyingParty.close();
  }

  async begin(tenant: FlowTenant, binding: string, purpose: FranceConnectPurpose): Promise<string> {
    const scopes = purpose === 'data_retrieval' ? await this.clients.dataRetrievalScopes(tenant.id) : tenant.dataAtLogin ? await this.loginWithDataScopes(tenant.id) : undefined;
    const redirect = await translate(this.relyingParty.beginLogin(tenantKeyOf(tenant), binding, purpose, scopes ? { scopes } : {}));
    return redirect.url;
  }

  /**
   * Login-time data retrieval (domain §2, FranceConnect modality): one `/authorize` for the login
   * scopes and the data scopes, so the API Particulier calls can follow the token exchange.
   * Without any data scope (no validated habilitation), a plain login.
   */
  private async loginWithDataScopes(tenantId: string): Promise<string[] | undefined> {
    const data = await this.clients.dataRetrievalScopes(tenantId);
    if (!data.some(isApiParticulierScope)) return undefined;
    return [...new Set([...(await this.clients.loginScopes(tenantId)), ...data])];
  }

  async complete(tenant: FlowTenant, binding: string, query: Readonly<Record<string, string>>): Promise<FranceConnectAuthentication> {
    const login: FranceConnectLogin = await translate(this.relyingParty.completeLogin(tenantKeyOf(tenant), binding, query));
    const purpose = (CITIZEN_FRANCECONNECT_PURPOSES as readonly string[]).includes(login.purpose) ? (login.purpose as FranceConnectPurpose) : 'login';
    // The last successful login per environment is recorded by the portal with the session (PortalFranceConnectService).
    return {
      sub: login.sub,
      issuer: login.issuer,
      environment: login.environment,
      acr: login.acr,
      idToken: login.idToken,
      claims: login.claims,
      accessToken: login.accessToken,
      accessTokenExpiresAt: login.accessTokenExpiresAt,
      purpose,
      scopes: login.scopes,
      // The callback itself: a new authorization round trip at FranceConnect (even a silent one in
      // its 30-minute SSO session) restarts that session, so the portal counts 30 minutes from here.
      authenticatedAt: new Date(),
    };
  }

  async logoutUrl(tenant: FlowTenant, binding: string, idTokenHint: string | null): Promise<string> {
    return (await translate(this.relyingParty.logoutUrl(tenantKeyOf(tenant), binding, idTokenHint))).url;
  }

  async completeLogout(tenant: FlowTenant, binding: string, state: string): Promise<void> {
    await translate(this.relyingParty.completeLogout(tenantKeyOf(tenant), binding, state));
  }
}

async function translate<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isFranceConnectError(error)) throw new FranceConnectFlowError(error.code.toLowerCase(), error.message, error.logoutRecommended, error.idTokenHint);
    throw error;
  }
}
