import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { PlatformConfig } from '@fcplat/config';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { AccountsModule } from './accounts/accounts.module.js';
import { ApiParticulierModule } from './api-particulier/api-particulier.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ChangesCaughtUpInterceptor } from './http/changes-caught-up.interceptor.js';
import { InputHygieneGuard, InputHygienePipe } from './http/validation.js';
import { ProblemDetailsFilter } from './http/exception.filter.js';
import { CoreModule } from './infrastructure/core.module.js';
import { loggerParams } from './logging/logger.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OnboardingModule } from './onboarding/onboarding.module.js';
import { PortalModule } from './portal/portal.module.js';
import { QualificationRobotModule } from './qualification-robot/robot.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig, infrastructure: PlatformInfrastructure, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config.log, logDestination)),
        CoreModule.forRoot(config, infrastructure),
        // Before the accounts' `/api/accounts/{id}…` routes: `/api/accounts/me/notifications…` are literal paths.
        NotificationsModule,
        AccountsModule,
        TenantsModule,
        OnboardingModule,
        PortalModule,
        ApiParticulierModule,
        QualificationRobotModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Control characters refused in every path parameter and query string, before anything uses them.
        { provide: APP_GUARD, useClass: InputHygieneGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // Control characters refused in any body no schema checks (http/validation.ts).
        { provide: APP_PIPE, useClass: InputHygienePipe },
        // A mutating request answers once this replica's caches have heard its writes.
        { provide: APP_INTERCEPTOR, useClass: ChangesCaughtUpInterceptor },
        AuthService,
        HealthService,
      ],
    };
  }
}
