import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { parseKeyring, SecretBox } from '@fcplat/crypto';
import type { TenantEntity } from '@fcplat/db';
import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, type CallModality } from '@fcplat/domain';
import { TEST_SECRETS_KEYS } from './environment.js';
import { makeTenant } from './factories.js';
import { makeHabilitation } from './factories-tenants.js';

export interface ApiParticulierTenantOptions {
  /** The tenant's API Particulier token (e.g. one minted by the sandbox stand-in). */
  readonly token: string;
  readonly environment?: 'sandbox' | 'staging' | 'production' | 'custom';
  readonly baseUrl?: string;
  readonly modalities?: readonly CallModality[];
  readonly scopes?: readonly string[];
  readonly tenant?: Partial<TenantEntity>;
}

/**
 * A tenant ready to call API Particulier: a validated habilitation (every API's scopes and the
 * three modalities by default) and its token stored in the vault, encrypted with the test keyring,
 * its environment chosen as the live one.
 */
export async function makeApiParticulierTenant(dataSource: DataSource, options: ApiParticulierTenantOptions): Promise<TenantEntity> {
  const tenant = await makeTenant(dataSource, { slug: `apip-${randomBytes(4).toString('hex')}`, ...options.tenant });
  await makeHabilitation(dataSource, tenant.id, 'api_particulier', {
    state: 'validated',
    validatedAt: new Date(),
    scopes: [...(options.scopes ?? API_PARTICULIER_APIS.flatMap((api) => API_PARTICULIER_CATALOGUE[api].scopes.map((s) => s.scope)))],
    modalities: [...(options.modalities ?? ['pivot_identity', 'ine', 'france_connect'])],
  });
  const environment = options.environment ?? 'sandbox';
  const box = new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1'));
  await dataSource.query(
    `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, base_url, received_on, expires_on)
     VALUES ($1, $2, $3, $4, current_date, current_date + interval '18 months')`,
    [tenant.id, environment, box.encrypt(options.token, { tenantId: tenant.id, field: `apip_token:${environment}` }), environment === 'custom' ? (options.baseUrl ?? null) : null],
  );
  // In service: calls go to the live environment chosen by staff, never to whichever token exists.
  await dataSource.query(`INSERT INTO tenant_live_environment (tenant_id, product, environment) VALUES ($1, 'api_particulier', $2)`, [tenant.id, environment]);
  return tenant;
}
