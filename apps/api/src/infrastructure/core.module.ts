import { Global, Module, type DynamicModule } from '@nestjs/common';
import { apiParticulierRuntime } from '@fcplat/api-particulier-calls';
import type { PlatformConfig } from '@fcplat/config';
import { SecretBox } from '@fcplat/crypto';
import { preparedStatements } from '@fcplat/db';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { ChangeFeed } from './change-feed.js';
import { LimitStore, openLimitStore } from './shared-limits.js';
import { API_PARTICULIER_RUNTIME, DATA_SOURCE, HOT_SQL, JOB_PRODUCER, PLATFORM_CONFIG, SECRET_BOX } from './tokens.js';

/**
 * Configuration and infrastructure, injectable everywhere by token; the shared limit store
 * (`LimitStore`, Redis or PostgreSQL like the queue) by its class, opened before the first request;
 * the `ChangeFeed` of PostgreSQL's change notifications, which the per-process caches follow.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: PlatformConfig, infrastructure: PlatformInfrastructure): DynamicModule {
    const box = new SecretBox(config.secrets.keyring);
    const providers = [
      { provide: PLATFORM_CONFIG, useValue: config },
      { provide: DATA_SOURCE, useValue: infrastructure.dataSource },
      { provide: HOT_SQL, useValue: preparedStatements(infrastructure.dataSource, config.database.preparedStatements) },
      { provide: JOB_PRODUCER, useValue: infrastructure.producer },
      { provide: SECRET_BOX, useValue: box },
      { provide: API_PARTICULIER_RUNTIME, useValue: apiParticulierRuntime(config, infrastructure.dataSource, box) },
      { provide: LimitStore, useFactory: () => openLimitStore(config, infrastructure.dataSource) },
    ];
    return { module: CoreModule, providers: [...providers, ChangeFeed], exports: [...providers.map((p) => p.provide), ChangeFeed] };
  }
}
