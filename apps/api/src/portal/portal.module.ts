import { Module } from '@nestjs/common';
import { DataRetrievalService } from './data-retrieval.service.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { MailModule } from '../mail/mail.module.js';
import { CitizenSessionGuard } from './citizen-session.guard.js';
import { CitizenSessionsService } from './citizen-sessions.service.js';
import { CitizensService } from './citizens.service.js';
import { FRANCECONNECT_FLOWS } from './franceconnect-flows.js';
import { RelyingPartyFlows, VaultClientSource } from './franceconnect-relying-party.js';
import { FranceConnectController } from './franceconnect.controller.js';
import { PortalFranceConnectService } from './portal-franceconnect.service.js';
import { PortalTenantsService } from './portal-tenants.service.js';
import { PortalController } from './portal.controller.js';
import { PortalRateLimiter } from './rate-limits.js';
import { RobotPassService } from './robot-pass.service.js';

/**
 * The citizen portal's back-end: FranceConnect routes, citizen accounts and sessions. The
 * FranceConnect protocol is `@fcplat/franceconnect`'s relying party, behind the narrow
 * `FranceConnectFlows` interface (token `FRANCECONNECT_FLOWS`), fed with tenants' clients from
 * the credentials vault.
 */
@Module({
  imports: [TenantsModule, MailModule],
  controllers: [PortalController, FranceConnectController],
  providers: [
    PortalTenantsService,
    CitizenSessionsService,
    CitizenSessionGuard,
    CitizensService,
    PortalFranceConnectService,
    DataRetrievalService,
    PortalRateLimiter,
    RobotPassService,
    VaultClientSource,
    RelyingPartyFlows,
    { provide: FRANCECONNECT_FLOWS, useExisting: RelyingPartyFlows },
  ],
  exports: [CitizenSessionsService],
})
export class PortalModule {}
