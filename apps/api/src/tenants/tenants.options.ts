import type { PlatformConfig } from '@fcplat/config';

/** Settings of the tenants area, taken from the validated configuration. */
export interface TenantsOptions {
  /** Shared secret of the DataPass webhook. Null: the endpoint answers 404, staff record states by hand. */
  readonly dataPassWebhookSecret: string | null;
  /** Base URL of the recherche-entreprises API (or the sandbox stand-in). */
  readonly companyDirectoryUrl: string;
}

export const TENANTS_OPTIONS = Symbol('TENANTS_OPTIONS');

export function tenantsOptionsFrom(config: PlatformConfig): TenantsOptions {
  return { dataPassWebhookSecret: config.integrations.dataPassWebhookSecret, companyDirectoryUrl: config.integrations.companyDirectoryUrl };
}
