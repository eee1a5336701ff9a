/**
 * Where and with what a tenant's calls go: its API Particulier token per environment (decrypted
 * from the credentials vault only in the worker, just before the call) and the environment's base
 * URL. The FranceConnect modality needs no token: the citizen's FranceConnect token is the bearer,
 * and the API Particulier environment follows the FranceConnect one (a sandbox FranceConnect token
 * only means something to the sandbox stand-in).
 */
import type { DataSource } from 'typeorm';
import { API_PARTICULIER_HOSTS } from '@fcplat/api-particulier';
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

/** Order of preference when a tenant holds tokens for several environments. */
const PREFERENCE: readonly CallEnvironment[] = ['production', 'staging', 'sandbox', 'custom'];

export class TenantEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly settings: EndpointSettings,
  ) {}

  baseUrlOf(environment: CallEnvironment, customUrl: string | null): string | null {
    switch (environment) {
      case 'production':
        return API_PARTICULIER_HOSTS.production;
      case 'staging':
        return API_PARTICULIER_HOSTS.staging;
      case 'sandbox':
        return this.settings.sandboxUrl;
      case 'custom':
        return this.settings.allowCustom ? customUrl : null;
    }
  }

  /** The environment a new pivot-identity/INE call of the tenant uses, or null without a usable token. */
  async environmentFor(tenantId: string): Promise<CallEnvironment | null> {
    const rows = (await this.dataSource.query(
      `SELECT environment, base_url FROM api_particulier_credential WHERE tenant_id = $1 AND expires_on >= current_date`,
      [tenantId],
    )) as { environment: CallEnvironment; base_url: string | null }[];
    for (const environment of PREFERENCE) {
      const row = rows.find((r) => r.environment === environment);
      if (row && this.baseUrlOf(environment, row.base_url)) return environment;
    }
    return null;
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

  /** FranceConnect modality: the API Particulier environment matching the FranceConnect one. */
  franceConnectEnvironment(franceConnectEnvironment: 'production' | 'sandbox' | 'custom'): CallEnvironment | null {
    // FranceConnect's integration platform is called by API Particulier's staging (domain.md §2.7);
    // a `custom` FranceConnect is the platform's sandbox provider, known to the sandbox stand-in.
    const environment: CallEnvironment = franceConnectEnvironment === 'production' ? 'production' : franceConnectEnvironment === 'sandbox' ? 'staging' : 'sandbox';
    return this.baseUrlOf(environment, null) ? environment : null;
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
