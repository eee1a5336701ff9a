/**
 * Where and with what a tenant's calls go: its API Particulier token per environment (decrypted
 * from the credentials vault only in the worker, just before the call) and the environment's base
 * URL. The FranceConnect modality needs no token: the citizen's FranceConnect token is the bearer,
 * and the API Particulier environment follows the FranceConnect one (a sandbox FranceConnect token
 * only means something to the sandbox stand-in).
 */
import type { DataSource } from 'typeorm';
import { API_PARTICULIER_HOSTS } from '@fcplat/api-particulier';
import { API_PARTICULIER_ENVIRONMENT_LABELS, type FranceConnectEnvironment } from '@fcplat/domain';
import type { SecretBox } from '@fcplat/crypto';
import type { CallEnvironment } from './ledger.js';
import { apiParticulierTokenField } from './secret-fields.js';

export interface EndpointSettings {
  /** The platform's stand-in (`SANDBOX_API_PARTICULIER_URL`). */
  readonly sandboxUrl: string | null;
  /** `ALLOW_CUSTOM_ENDPOINTS`: whether `custom` credentials may be used. */
  readonly allowCustom: boolean;
}

export interface TenantEndpoint {
  readonly environment: CallEnvironment;
  readonly baseUrl: string;
  /** Null for the FranceConnect modality. */
  readonly token: string | null;
}

/** Where a tenant's next token call goes, or why it cannot go anywhere (French). */
export type CallTarget = { readonly environment: CallEnvironment } | { readonly problem: string };

export class TenantEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly settings: EndpointSettings,
  ) {}

  /**
   * The base URL of `environment`: API Particulier's hosts, the platform's stand-in for `sandbox`;
   * on test platforms (ALLOW_CUSTOM_ENDPOINTS) a URL stored with the token points any environment
   * at a stand-in, and `custom` needs one. Null when the environment cannot be reached from here.
   */
  baseUrlOf(environment: CallEnvironment, storedUrl: string | null): string | null {
    if (storedUrl !== null) return this.settings.allowCustom ? storedUrl : null;
    switch (environment) {
      case 'production':
        return API_PARTICULIER_HOSTS.production;
      case 'staging':
        return API_PARTICULIER_HOSTS.staging;
      case 'sandbox':
        return this.settings.sandboxUrl;
      case 'custom':
        return null;
    }
  }

  /**
   * The environment of a new token call (pivot identity, INE): the tenant's live API Particulier
   * environment, chosen by staff, and no other; a problem when none is chosen or its token cannot
   * be used (expired, or its URL unavailable here).
   */
  async environmentFor(tenantId: string): Promise<CallTarget> {
    const rows = (await this.dataSource.query(
      `SELECT l.environment, c.base_url, c.expires_on >= current_date AS valid, c.id IS NOT NULL AS stored
         FROM tenant_live_environment l
         LEFT JOIN api_particulier_credential c ON c.tenant_id = l.tenant_id AND c.environment = l.environment
        WHERE l.tenant_id = $1 AND l.product = 'api_particulier'`,
      [tenantId],
    )) as { environment: CallEnvironment; base_url: string | null; valid: boolean | null; stored: boolean }[];
    const row = rows[0];
    if (!row) return { problem: 'Aucun environnement API Particulier n’est choisi pour cet organisme : l’équipe de l’éditeur doit le choisir.' };
    const label = API_PARTICULIER_ENVIRONMENT_LABELS[row.environment];
    if (!row.stored) return { problem: `Aucun jeton API Particulier n’est enregistré pour l’environnement en service (« ${label} »).` };
    if (!row.valid) return { problem: `Le jeton API Particulier de l’environnement en service (« ${label} ») a expiré.` };
    if (!this.baseUrlOf(row.environment, row.base_url)) return { problem: `L’environnement API Particulier en service (« ${label} ») n’est pas joignable depuis cette plateforme.` };
    return { environment: row.environment };
  }

  /** Token and URL for a call in `environment`; null when the tenant has no usable token there. */
  async endpoint(tenantId: string, environment: CallEnvironment): Promise<TenantEndpoint | null> {
    const rows = (await this.dataSource.query(
      `SELECT token_ciphertext, base_url FROM api_particulier_credential WHERE tenant_id = $1 AND environment = $2 AND expires_on >= current_date`,
      [tenantId, environment],
    )) as { token_ciphertext: string; base_url: string | null }[];
    const row = rows[0];
    if (!row) return null;
    const baseUrl = this.baseUrlOf(environment, row.base_url);
    if (!baseUrl) return null;
    return { environment, baseUrl, token: this.box.decrypt(row.token_ciphertext, { tenantId, field: apiParticulierTokenField(environment) }) };
  }

  /**
   * FranceConnect modality: the API Particulier environment that can check a token of this
   * FranceConnect environment. FranceConnect's sandbox and integration platforms are called by API
   * Particulier's staging; a `custom` FranceConnect is the platform's sandbox provider, known to the
   * sandbox stand-in; production by production.
   */
  franceConnectEnvironment(franceConnectEnvironment: FranceConnectEnvironment): CallEnvironment {
    return FRANCECONNECT_TO_API_PARTICULIER[franceConnectEnvironment];
  }

  async franceConnectEndpoint(tenantId: string, environment: CallEnvironment): Promise<TenantEndpoint | null> {
    const rows = (await this.dataSource.query(`SELECT base_url FROM api_particulier_credential WHERE tenant_id = $1 AND environment = $2`, [
      tenantId,
      environment,
    ])) as { base_url: string | null }[];
    const baseUrl = this.baseUrlOf(environment, rows[0]?.base_url ?? null);
    return baseUrl ? { environment, baseUrl, token: null } : null;
  }
}

const FRANCECONNECT_TO_API_PARTICULIER: Readonly<Record<FranceConnectEnvironment, CallEnvironment>> = {
  production: 'production',
  sandbox: 'staging',
  integration: 'staging',
  custom: 'sandbox',
};
