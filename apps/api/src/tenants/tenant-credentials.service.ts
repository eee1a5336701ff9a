import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { API_PARTICULIER_HOSTS } from '@fcplat/api-particulier';
import { AppError, validationError } from '@fcplat/common';
import {
  environmentLabel,
  FRANCECONNECT_ISSUERS,
  franceConnectCredentialProblem,
  franceConnectUrisOf,
  type AnyEnvironment,
  parisCalendarDate,
  readApiParticulierToken,
  type CredentialsCondition,
} from '@fcplat/domain';
import type { PlatformConfig } from '@fcplat/config';
import { mask, SecretDecryptionError, type SecretBox } from '@fcplat/crypto';
import {
  ApiParticulierCredentialEntity,
  appendAudit,
  FranceConnectCredentialEntity,
  type ApiParticulierEnvironment,
  type FranceConnectEnvironment,
  type FranceConnectSigningAlgorithm,
} from '@fcplat/db';
import { auditActorOf, type Actor } from '../auth/actor.js';
import type { ApiParticulierRuntime } from '@fcplat/api-particulier-calls';
import { requestRobotRunAfterChange } from '@fcplat/qualification-runs';
import { API_PARTICULIER_RUNTIME, DATA_SOURCE, PLATFORM_CONFIG, SECRET_BOX } from '../infrastructure/tokens.js';
import type { ApiParticulierCredentialView, CredentialsView, FranceConnectCredentialView, PutApiParticulierInput, PutFranceConnectInput, SecretState } from '@fcplat/contract';
import { registerSandboxClient, sandboxIssuer } from './sandbox-franceconnect.js';
import { apiParticulierTokenField, franceConnectSecretField } from './secret-fields.js';
import { mintSandboxToken } from './sandbox-api-particulier.js';
import { uniqueViolation } from './tenant-params.js';
import { TenantsService } from './tenants.service.js';

/** API Particulier hosts (docs/domain.md); `sandbox` is the platform's stand-in, resolved by the API Particulier client. */
export const API_PARTICULIER_BASE_URLS: Readonly<Partial<Record<ApiParticulierEnvironment, string>>> = API_PARTICULIER_HOSTS;

/** Validity of an API Particulier token (docs/domain.md §2.1) and how early the console warns. */
export const API_PARTICULIER_TOKEN_MONTHS = 18;
export const API_PARTICULIER_EXPIRY_WARNING_DAYS = 60;


export type { ApiParticulierCredentialView, CredentialsView, FranceConnectCredentialView, SecretState };

/** Decrypted FranceConnect client of a tenant, for the relying-party code (never for HTTP responses). */
export interface FranceConnectClientSecrets {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly signingAlgorithm: FranceConnectSigningAlgorithm;
  readonly issuerUrl: string;
  /** The issuer is a stand-in's, not the environment's own (test platforms only). */
  readonly standIn: boolean;
}

/** Whether an environment's stored credentials can be used, and if not, why (French). */
export interface CredentialsAssessment {
  readonly condition: CredentialsCondition;
  readonly problem: string | null;
  readonly standIn: boolean;
}

/** Today in France (`YYYY-MM-DD`): expiry dates are calendar days for French users. */
export function todayInFrance(now = new Date()): string {
  return parisCalendarDate(now);
}

/** `YYYY-MM-DD` + `months`, clamped to the last day of the month (31 August + 18 months = 28/29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, lastDay));
  return first.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Problem with a custom endpoint URL, or `null`: https, or plain http to the loopback only. */
export function endpointUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'URL invalide.';
  }
  if (url.username || url.password || url.search || url.hash) return 'L’URL ne doit contenir ni identifiants, ni paramètres, ni fragment.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  return 'URL https:// attendue (http:// n’est accepté que vers 127.0.0.1 ou localhost).';
}

const UNDECRYPTABLE =
  'Ce secret ne peut pas être déchiffré pour cet organisme (clé retirée, ou valeur copiée depuis un autre organisme) : saisissez-le à nouveau.';

/**
 * A tenant's credentials vault (SR-21..SR-23; a console account's password is
 * accounts/account-credentials.service.ts): FranceConnect clients and API Particulier tokens per
 * environment. Secrets are encrypted with the secret box (tenant id + field as associated data),
 * write-only through the API (responses show `mask()` only), audited without their values.
 */
@Injectable()
export class TenantCredentialsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(API_PARTICULIER_RUNTIME) private readonly apiParticulier: ApiParticulierRuntime,
    private readonly tenants: TenantsService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('CredentialsVault');
  }

  async list(actor: Actor, tenantId: string): Promise<CredentialsView> {
    await this.tenants.requireTenant(actor, tenantId);
    const fc = await this.franceConnectRows(this.dataSource.manager, tenantId).orderBy('c.environment').getMany();
    const apip = await this.apiParticulierRows(this.dataSource.manager, tenantId).orderBy('c.environment').getMany();
    return { franceconnect: fc.map((row) => this.franceConnectView(row)), apiParticulier: apip.map((row) => this.apiParticulierView(row)) };
  }

  async putFranceConnect(
    actor: Actor,
    tenantId: string,
    environment: FranceConnectEnvironment,
    input: PutFranceConnectInput,
    requestId: string | null,
  ): Promise<FranceConnectCredentialView> {
    await this.tenants.requireTenant(actor, tenantId);
    this.assertMayWrite(actor, environment, 'FranceConnect');
    const issuerUrl = this.endpointOverride(environment, input.issuerUrl, 'issuerUrl');
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await this.franceConnectRows(manager, tenantId).andWhere('c.environment = :environment', { environment }).setLock('pessimistic_write').getOne();
      this.checkVersion(current, input.version);
      if (!current && input.clientSecret === undefined) {
        throw validationError([{ path: 'clientSecret', message: 'champ obligatoire lors du premier enregistrement' }]);
      }
      const next = { clientId: input.clientId, signingAlgorithm: input.signingAlgorithm, issuerUrl };
      const changes = diff(current, next);
      if (input.clientSecret !== undefined) changes.clientSecretReplaced = true;
      if (current && Object.keys(changes).length === 0) return current;
      const ciphertext =
        input.clientSecret !== undefined
          ? this.box.encrypt(input.clientSecret, { tenantId, field: franceConnectSecretField(environment) })
          : current?.clientSecretCiphertext;
      const id = await this.upsert(manager.getRepository(FranceConnectCredentialEntity), current, { tenantId, environment, ...next, clientSecretCiphertext: ciphertext });
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: current ? 'credentials.franceconnect.updated' : 'credentials.franceconnect.created',
        target: { type: 'franceconnect_credential', id },
        changes: { environment, ...changes },
        requestId,
      });
      // A new FranceConnect client (client_id, keys, issuer) can break the login: verify again.
      await requestRobotRunAfterChange(manager, tenantId, `Identifiants FranceConnect modifiés (${environmentLabel('franceconnect', environment)})`);
      return this.franceConnectRows(manager, tenantId).andWhere('c.id = :id', { id }).getOneOrFail();
    }).catch(concurrentFirstWrite);
    return this.franceConnectView(row);
  }

  async putApiParticulier(
    actor: Actor,
    tenantId: string,
    environment: ApiParticulierEnvironment,
    input: PutApiParticulierInput,
    requestId: string | null,
  ): Promise<ApiParticulierCredentialView> {
    await this.tenants.requireTenant(actor, tenantId);
    this.assertMayWrite(actor, environment, 'API Particulier');
    const baseUrl = this.endpointOverride(environment, input.baseUrl, 'baseUrl');
    const fromToken = input.token !== undefined ? tokenExpiry(input.token, input.expiresOn) : null;
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await this.apiParticulierRows(manager, tenantId).andWhere('c.environment = :environment', { environment }).setLock('pessimistic_write').getOne();
      this.checkVersion(current, input.version);
      if (!current && input.token === undefined) {
        throw validationError([{ path: 'token', message: 'champ obligatoire lors du premier enregistrement' }]);
      }
      // A new token starts a new validity period; dates may also be corrected without replacing it.
      const receivedOn = input.receivedOn ?? (input.token !== undefined || !current ? todayInFrance() : current.receivedOn);
      // The token's own expiry (`exp`) when it has one; otherwise the date given, or 18 months after receipt.
      const expiresOn =
        fromToken ??
        input.expiresOn ??
        (input.receivedOn !== undefined || input.token !== undefined || !current ? addMonths(receivedOn, API_PARTICULIER_TOKEN_MONTHS) : current.expiresOn);
      if (expiresOn <= receivedOn) {
        throw validationError([{ path: 'expiresOn', message: 'la date d’expiration doit suivre la date de réception' }]);
      }
      const next = { baseUrl, receivedOn, expiresOn };
      const changes = diff(current, next);
      if (input.token !== undefined) changes.tokenReplaced = true;
      if (current && Object.keys(changes).length === 0) return current;
      const ciphertext = input.token !== undefined ? this.box.encrypt(input.token, { tenantId, field: apiParticulierTokenField(environment) }) : current?.tokenCiphertext;
      const id = await this.upsert(manager.getRepository(ApiParticulierCredentialEntity), current, { tenantId, environment, ...next, tokenCiphertext: ciphertext });
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: current ? 'credentials.api_particulier.updated' : 'credentials.api_particulier.created',
        target: { type: 'api_particulier_credential', id },
        changes: { environment, ...changes },
        requestId,
      });
      return this.apiParticulierRows(manager, tenantId).andWhere('c.id = :id', { id }).getOneOrFail();
    }).catch(concurrentFirstWrite);
    return this.apiParticulierView(row);
  }

  /** Revokes (deletes) the credentials of one environment; never those of the live environment. */
  async remove(actor: Actor, tenantId: string, kind: 'franceconnect' | 'api_particulier', environment: string, requestId: string | null): Promise<void> {
    await this.tenants.requireTenant(actor, tenantId);
    const entity = kind === 'franceconnect' ? FranceConnectCredentialEntity : ApiParticulierCredentialEntity;
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository<FranceConnectCredentialEntity | ApiParticulierCredentialEntity>(entity);
      const row = await repository.findOne({ where: { tenantId, environment: environment as never }, select: { id: true }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new AppError('NOT_FOUND', { detail: 'Aucun identifiant enregistré pour cet environnement.' });
      // Read after the row lock: a concurrent switch to this environment has committed or will find the row gone.
      const [live] = (await manager.query(`SELECT environment FROM tenant_live_environment WHERE tenant_id = $1 AND product = $2`, [tenantId, kind])) as {
        environment: string;
      }[];
      if (live?.environment === environment) {
        throw new AppError('CONFLICT', {
          detail: `Ces identifiants sont ceux de l’environnement en service (« ${environmentLabel(kind, environment as AnyEnvironment)} ») : choisissez d’abord un autre environnement, puis révoquez-les.`,
          extensions: { reasons: [{ code: 'environment_live', message: 'environnement en service' }] },
        });
      }
      await repository.delete({ id: row.id });
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: `credentials.${kind}.deleted`,
        target: { type: `${kind}_credential`, id: row.id },
        changes: { environment },
        requestId,
      });
    });
  }

  /** URIs the tenant declares in FranceConnect's partner space (portal routes are fixed). */
  async franceConnectUris(actor: Actor, tenantId: string): Promise<{ redirectUri: string; postLogoutRedirectUri: string }> {
    const tenant = await this.tenants.requireTenant(actor, tenantId);
    return franceConnectUrisOf(this.config.http.publicUrl, tenant.slug);
  }

  /**
   * Registers a fresh client for the tenant at the sandbox FranceConnect (SANDBOX_FRANCECONNECT_URL)
   * with the tenant's redirect URIs, and stores it as the `custom` environment through the vault
   * (encrypted, audited). Every call registers a new client and replaces the stored one: simple
   * and always consistent with the tenant's current slug (the sandbox keeps the old client, unused).
   */
  async registerSandboxFranceConnect(actor: Actor, tenantId: string, requestId: string | null): Promise<FranceConnectCredentialView> {
    const sandboxUrl = this.config.integrations.sandboxFranceConnectUrl;
    if (!sandboxUrl || !this.config.features.allowCustomEndpoints) {
      throw new AppError('VALIDATION_FAILED', {
        detail:
          'Le bac à sable FranceConnect n’est pas disponible sur cette plateforme (SANDBOX_FRANCECONNECT_URL et ALLOW_CUSTOM_ENDPOINTS) : enregistrez le client à la main.',
      });
    }
    const tenant = await this.tenants.requireTenant(actor, tenantId);
    this.assertMayWrite(actor, 'custom', 'FranceConnect');
    const uris = await this.franceConnectUris(actor, tenantId);
    // The network call happens before (never inside) the vault's transaction.
    const client = await registerSandboxClient(sandboxUrl, { clientName: tenant.name, redirectUri: uris.redirectUri, postLogoutRedirectUri: uris.postLogoutRedirectUri });
    this.logger.info({ tenantId, clientId: client.clientId }, 'sandbox FranceConnect client registered');
    return this.putFranceConnect(
      actor,
      tenantId,
      'custom',
      { clientId: client.clientId, clientSecret: client.clientSecret, signingAlgorithm: 'ES256', issuerUrl: sandboxIssuer(sandboxUrl) },
      requestId,
    );
  }

  /**
   * Mints a token for the tenant at the platform's API Particulier stand-in and stores it as the
   * `sandbox` environment (encrypted, audited), so a new client can try data retrieval at once.
   */
  async mintSandboxApiParticulierToken(actor: Actor, tenantId: string, requestId: string | null): Promise<ApiParticulierCredentialView> {
    const sandboxUrl = this.config.apiParticulier.sandboxUrl;
    if (!sandboxUrl) {
      throw new AppError('VALIDATION_FAILED', {
        detail: 'Le bac à sable API Particulier n’est pas disponible sur cette plateforme (SANDBOX_API_PARTICULIER_URL) : enregistrez le jeton à la main.',
      });
    }
    const tenant = await this.tenants.requireTenant(actor, tenantId);
    this.assertMayWrite(actor, 'sandbox', 'API Particulier');
    // The network call happens before (never inside) the vault's transaction.
    const minted = await mintSandboxToken(sandboxUrl, tenant.siret);
    const current = await this.apiParticulierRows(this.dataSource.manager, tenantId).andWhere('c.environment = :environment', { environment: 'sandbox' }).getOne();
    return this.putApiParticulier(actor, tenantId, 'sandbox', { token: minted.token, expiresOn: minted.expiresOn, receivedOn: todayInFrance(), version: current?.version }, requestId);
  }

  // ---- Reads for platform code (FranceConnect relying party, API Particulier client) ----

  /** The decrypted FranceConnect client of `tenantId` for `environment`, or `null`. Throws SecretDecryptionError. */
  async franceConnectClient(
    tenantId: string,
    environment: FranceConnectEnvironment,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<FranceConnectClientSecrets | null> {
    const query = this.franceConnectRows(manager, tenantId).andWhere('c.environment = :environment', { environment });
    const row = await (lock ? query.setLock('pessimistic_read') : query).getOne();
    if (!row) return null;
    const own = environment === 'custom' ? null : FRANCECONNECT_ISSUERS[environment];
    return {
      clientId: row.clientId,
      clientSecret: this.box.decrypt(row.clientSecretCiphertext, { tenantId, field: franceConnectSecretField(environment) }),
      signingAlgorithm: row.signingAlgorithm,
      issuerUrl: row.issuerUrl ?? own ?? '',
      standIn: row.issuerUrl !== null && environment !== 'custom',
    };
  }

  /**
   * Whether the FranceConnect client stored for `environment` can be used here: stored, decrypts,
   * client_id and secret in FranceConnect's format, and a stand-in or `custom` issuer only where
   * custom endpoints are allowed. Reads with `manager` (a caller's transaction) when given, and
   * `lock` keeps the row (FOR SHARE) until that transaction ends: a revocation then waits.
   */
  async franceConnectAssessment(tenantId: string, environment: FranceConnectEnvironment, manager: EntityManager = this.dataSource.manager, lock = false): Promise<CredentialsAssessment> {
    let client: FranceConnectClientSecrets | null;
    try {
      client = await this.franceConnectClient(tenantId, environment, manager, lock);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      return { condition: 'unusable', problem: UNDECRYPTABLE, standIn: false };
    }
    if (!client) return { condition: 'missing', problem: 'Aucun client FranceConnect enregistré pour cet environnement.', standIn: false };
    const standIn = client.standIn;
    const idProblem = franceConnectCredentialProblem(client.clientId);
    if (idProblem) return { condition: 'unusable', problem: `client_id au mauvais format : ${idProblem}. Enregistrez-le à nouveau.`, standIn };
    const secretProblem = franceConnectCredentialProblem(client.clientSecret);
    if (secretProblem) return { condition: 'unusable', problem: `client_secret au mauvais format : ${secretProblem}. Enregistrez-le à nouveau.`, standIn };
    if ((environment === 'custom' || standIn) && !this.config.features.allowCustomEndpoints) {
      return { condition: 'unusable', problem: 'Fournisseur de test désactivé sur cette plateforme (ALLOW_CUSTOM_ENDPOINTS).', standIn };
    }
    return { condition: 'usable', problem: null, standIn };
  }

  /**
   * Whether the API Particulier token stored for `environment` can be used here: stored, decrypts,
   * a JWT by its structure, not expired, and its base URL available on this platform.
   */
  async apiParticulierAssessment(tenantId: string, environment: ApiParticulierEnvironment, manager: EntityManager = this.dataSource.manager, lock = false): Promise<CredentialsAssessment> {
    const query = this.apiParticulierRows(manager, tenantId).andWhere('c.environment = :environment', { environment });
    const row = await (lock ? query.setLock('pessimistic_read') : query).getOne();
    if (!row) return { condition: 'missing', problem: 'Aucun jeton API Particulier enregistré pour cet environnement.', standIn: false };
    const standIn = row.baseUrl !== null && environment !== 'custom';
    let token: string;
    try {
      token = this.box.decrypt(row.tokenCiphertext, { tenantId, field: apiParticulierTokenField(environment) });
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      return { condition: 'unusable', problem: UNDECRYPTABLE, standIn };
    }
    const reading = readApiParticulierToken(token);
    if (!reading.ok) return { condition: 'unusable', problem: `Jeton au mauvais format : ${reading.problem}. Enregistrez-le à nouveau.`, standIn };
    if (row.expiresOn < todayInFrance()) return { condition: 'unusable', problem: `Jeton expiré depuis le ${frenchDate(row.expiresOn)} : enregistrez le nouveau jeton.`, standIn };
    // Where the calls would go: the call runtime's own rule (stand-ins and custom only where allowed, the sandbox only when configured).
    if (!this.apiParticulier.endpoints.baseUrlOf(environment, row.baseUrl)) {
      return {
        condition: 'unusable',
        problem:
          environment === 'sandbox' && !standIn
            ? 'Le bac à sable API Particulier n’est pas configuré sur cette plateforme (SANDBOX_API_PARTICULIER_URL).'
            : 'Fournisseur de test désactivé sur cette plateforme (ALLOW_CUSTOM_ENDPOINTS).',
        standIn,
      };
    }
    return { condition: 'usable', problem: null, standIn };
  }

  // ---- internals ----

  private franceConnectRows(manager: EntityManager, tenantId: string) {
    return manager
      .getRepository(FranceConnectCredentialEntity)
      .createQueryBuilder('c')
      .addSelect('c.clientSecretCiphertext')
      .where('c.tenant_id = :tenantId', { tenantId });
  }

  private apiParticulierRows(manager: EntityManager, tenantId: string) {
    return manager
      .getRepository(ApiParticulierCredentialEntity)
      .createQueryBuilder('c')
      .addSelect('c.tokenCiphertext')
      .where('c.tenant_id = :tenantId', { tenantId });
  }

  private async upsert<E extends ObjectLiteral & { id: string }>(repository: Repository<E>, current: E | null, values: Record<string, unknown>): Promise<string> {
    if (current) {
      await repository
        .createQueryBuilder()
        .update()
        .set({ ...values, updatedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id: current.id })
        .execute();
      return current.id;
    }
    const result = await repository.createQueryBuilder().insert().values(values as never).returning(['id']).execute();
    const inserted = (result.raw as { id: string }[])[0];
    if (!inserted) throw new Error('INSERT returned no row');
    return inserted.id;
  }

  private assertMayWrite(actor: Actor, environment: string, product: string): void {
    if (actor.kind === 'client_admin' && environment !== 'production') {
      throw new AppError('FORBIDDEN', {
        detail: `Seule l’équipe de l’éditeur enregistre les identifiants ${product} de l’environnement « ${environment} » ; vous pouvez saisir ceux de production.`,
      });
    }
  }

  /**
   * The issuer/base URL stored with a credential: required for `custom`; on test platforms
   * (ALLOW_CUSTOM_ENDPOINTS) also accepted for the other environments, to point them at a stand-in
   * (e.g. a local provider standing in for production); refused otherwise.
   */
  private endpointOverride(environment: string, value: string | undefined, path: 'issuerUrl' | 'baseUrl'): string | null {
    if (!this.config.features.allowCustomEndpoints) {
      if (environment === 'custom') {
        throw new AppError('VALIDATION_FAILED', {
          detail:
            'L’environnement « custom » n’est disponible que sur une plateforme de test ou de recette (ALLOW_CUSTOM_ENDPOINTS) : utilisez sandbox ou production.',
          violations: [{ path: 'environment', message: 'environnement « custom » désactivé sur cette plateforme' }],
        });
      }
      if (value !== undefined) throw validationError([{ path, message: 'n’est accepté que pour l’environnement « custom » ou sur une plateforme de test (ALLOW_CUSTOM_ENDPOINTS)' }]);
      return null;
    }
    if (value === undefined) {
      if (environment === 'custom') throw validationError([{ path, message: 'champ obligatoire pour l’environnement « custom »' }]);
      return null;
    }
    const problem = endpointUrlProblem(value);
    if (problem) throw validationError([{ path, message: problem }]);
    return value.replace(/\/+$/, '');
  }

  private checkVersion(current: { version: number } | null, version: number | undefined): void {
    if (current && version !== undefined && current.version !== version) {
      throw new AppError('CONFLICT', {
        detail: `Ces identifiants ont été modifiés entre-temps (version actuelle : ${current.version}) : rechargez-les puis recommencez.`,
        extensions: { currentVersion: current.version },
      });
    }
  }

  private secretState(ciphertext: string, tenantId: string, field: string): SecretState {
    try {
      return { status: 'ok', masked: mask(this.box.decrypt(ciphertext, { tenantId, field })) };
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      this.logger.warn({ tenantId, field, code: error.code, keyId: error.keyId }, 'stored secret does not decrypt');
      return { status: 'undecryptable', masked: null, problem: UNDECRYPTABLE };
    }
  }

  private franceConnectView(row: FranceConnectCredentialEntity): FranceConnectCredentialView {
    return {
      environment: row.environment,
      clientId: row.clientId,
      clientSecret: this.secretState(row.clientSecretCiphertext, row.tenantId, franceConnectSecretField(row.environment)),
      signingAlgorithm: row.signingAlgorithm,
      issuerUrl: row.issuerUrl ?? (row.environment === 'custom' ? null : FRANCECONNECT_ISSUERS[row.environment]),
      standIn: row.issuerUrl !== null && row.environment !== 'custom',
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      version: row.version,
    };
  }

  private apiParticulierView(row: ApiParticulierCredentialEntity): ApiParticulierCredentialView {
    const expiresInDays = daysBetween(todayInFrance(), row.expiresOn);
    return {
      environment: row.environment,
      token: this.secretState(row.tokenCiphertext, row.tenantId, apiParticulierTokenField(row.environment)),
      baseUrl: row.baseUrl ?? API_PARTICULIER_BASE_URLS[row.environment] ?? null,
      standIn: row.baseUrl !== null && row.environment !== 'custom',
      receivedOn: row.receivedOn,
      expiresOn: row.expiresOn,
      expiresInDays,
      expiryWarning: expiresInDays <= API_PARTICULIER_EXPIRY_WARNING_DAYS,
      expired: expiresInDays < 0,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      version: row.version,
    };
  }
}

/** `JJ/MM/AAAA` of a `YYYY-MM-DD` date, for French messages. */
function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * The expiry (`YYYY-MM-DD`, French calendar day) an API Particulier token states in its `exp`
 * claim, or `null` without one. A token already expired, or an explicit `expiresOn` that
 * contradicts the token, is refused (the schema has already checked the JWT structure).
 */
function tokenExpiry(token: string, expiresOn: string | undefined): string | null {
  const reading = readApiParticulierToken(token);
  if (!reading.ok) throw validationError([{ path: 'token', message: reading.problem }]);
  if (!reading.expiresAt) return null;
  const day = todayInFrance(reading.expiresAt);
  if (reading.expiresAt.getTime() <= Date.now()) throw validationError([{ path: 'token', message: `jeton expiré le ${frenchDate(day)} : demandez un nouveau jeton` }]);
  if (expiresOn !== undefined && expiresOn !== day) {
    throw validationError([{ path: 'expiresOn', message: `le jeton indique lui-même son expiration (${frenchDate(day)}) : laissez ce champ vide ou indiquez cette date` }]);
  }
  return day;
}

/** Two first writes of the same entry at once: the loser gets a 409 instead of a 500. */
function concurrentFirstWrite(error: unknown): never {
  if (uniqueViolation(error)?.endsWith('_tenant_env_uq')) {
    throw new AppError('CONFLICT', { detail: 'Ces identifiants viennent d’être enregistrés par ailleurs : rechargez-les puis recommencez.' });
  }
  throw error;
}

/** Before/after of the fields that change (secret fields are never passed here). */
function diff(current: object | null, next: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, after] of Object.entries(next)) {
    const before = current ? ((current as Record<string, unknown>)[key] ?? null) : null;
    if (JSON.stringify(before) !== JSON.stringify(after ?? null)) changes[key] = { before, after: after ?? null };
  }
  return changes;
}
