import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { PlatformConfig } from '@fcplat/config';
import { SecretBox } from '@fcplat/crypto';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { DATA_SOURCE, JOB_PRODUCER, PLATFORM_CONFIG, SECRET_BOX } from './tokens.js';

/** Configuration and infrastructure, injectable everywhere by token. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: PlatformConfig, infrastructure: PlatformInfrastructure): DynamicModule {
    const providers = [
      { provide: PLATFORM_CONFIG, useValue: config },
      { provide: DATA_SOURCE, useValue: infrastructure.dataSource },
      { provide: JOB_PRODUCER, useValue: infrastructure.producer },
      { provide: SECRET_BOX, useValue: new SecretBox(config.secrets.keyring) },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
