import { Module } from '@nestjs/common';
import { PlatformApiParticulierController, TenantApiParticulierController } from './api-particulier.controller.js';
import { ApiParticulierService } from './api-particulier.service.js';

/** API Particulier: call logs, batches, the queue dashboard (the calls themselves run in the worker). */
@Module({
  controllers: [TenantApiParticulierController, PlatformApiParticulierController],
  providers: [ApiParticulierService],
  exports: [ApiParticulierService],
})
export class ApiParticulierModule {}
