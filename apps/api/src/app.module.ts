import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { PlatformConfig } from '@fcplat/config';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ProblemDetailsFilter } from './http/exception.filter.js';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { SecretBox } from '@fcplat/crypto';
import { DATA_SOURCE, JOB_PRODUCER, PLATFORM_CONFIG, SECRET_BOX } from './infrastructure/tokens.js';
import { loggerParams } from './logging/logger.js';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig, infrastructure: PlatformInfrastructure, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot(loggerParams(config.log, logDestination))],
      controllers: [HealthController],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: DATA_SOURCE, useValue: infrastructure.dataSource },
        { provide: JOB_PRODUCER, useValue: infrastructure.producer },
        { provide: SECRET_BOX, useValue: new SecretBox(config.secrets.keyring) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        AuthService,
        HealthService,
      ],
    };
  }
}
