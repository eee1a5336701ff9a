import { DirectoryController } from './directory.controller.js';
import { TenantLogoController } from './tenant-logo.controller.js';
import { TenantLogoService } from './tenant-logo.service.js';
import { Module } from '@nestjs/common';
import type { PlatformConfig } from '@fcplat/config';
import type { DataSource } from 'typeorm';
import { PgRateLimiter } from '@fcplat/api-particulier-calls';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { CompanyDirectoryClient } from '@fcplat/company-directory';
import { COMPANY_DIRECTORY, DIRECTORY_LOOKUP_BUDGET_MS, RechercheEntreprisesDirectory, sharedDirectoryLimit, type CompanyDirectory } from './company-directory.js';
import { CredentialsController } from './credentials.controller.js';
import { TenantCredentialsService } from './tenant-credentials.service.js';
import { DataPassWebhookService } from './datapass-webhook.service.js';
import { DataPassWebhookController, HabilitationsController } from './habilitations.controller.js';
import { HabilitationsService } from './habilitations.service.js';
import { LiveEnvironmentsController } from './live-environments.controller.js';
import { LiveEnvironmentsService } from './live-environments.service.js';
import { TenantsController } from './tenants.controller.js';
import { TENANTS_OPTIONS, tenantsOptionsFrom, type TenantsOptions } from './tenants.options.js';
import { TenantsService } from './tenants.service.js';

/**
 * The tenants area: public-body clients, their DataPass habilitations (manual and by webhook)
 * and their credentials vault. Configured by `DATAPASS_WEBHOOK_SECRET` (unset: webhooks disabled)
 * and `COMPANY_DIRECTORY_URL` (libs/config, integrations section).
 */
@Module({
  controllers: [TenantsController, HabilitationsController, DataPassWebhookController, CredentialsController, LiveEnvironmentsController, DirectoryController, TenantLogoController],
  providers: [
    { provide: TENANTS_OPTIONS, useFactory: (config: PlatformConfig): TenantsOptions => tenantsOptionsFrom(config), inject: [PLATFORM_CONFIG] },
    {
      provide: COMPANY_DIRECTORY,
      inject: [TENANTS_OPTIONS, DATA_SOURCE],
      useFactory: (options: TenantsOptions, dataSource: DataSource): CompanyDirectory =>
        new RechercheEntreprisesDirectory(
          new CompanyDirectoryClient({
            baseUrl: options.companyDirectoryUrl,
            timeoutMs: 3_000,
            retry: { maxAttempts: 2, maxRateLimitWaits: 1, maxRetryAfterMs: DIRECTORY_LOOKUP_BUDGET_MS / 2 },
            sharedLimit: sharedDirectoryLimit(new PgRateLimiter(dataSource)),
          }),
        ),
    },
    TenantsService,
    TenantLogoService,
    HabilitationsService,
    DataPassWebhookService,
    TenantCredentialsService,
    LiveEnvironmentsService,
  ],
  exports: [TenantsService, HabilitationsService, TenantCredentialsService, LiveEnvironmentsService],
})
export class TenantsModule {}
