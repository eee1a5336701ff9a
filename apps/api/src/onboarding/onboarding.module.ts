import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BulkCasesService } from './bulk.service.js';
import { ChecklistController } from './checklist.controller.js';
import { ONBOARDING_FACTS, SqlOnboardingFactsProvider } from './facts.js';
import { OnboardingController } from './onboarding.controller.js';
import { OnboardingService } from './onboarding.service.js';
import { PipelineController } from './pipeline.controller.js';
import { PipelineService } from './pipeline.service.js';
import { QualificationService } from './qualification.service.js';

/**
 * The onboarding area: one case per tenant moved by the domain's state machine, the staff
 * pipeline, the qualification checklist, and (through AuditModule) the audit listing.
 */
@Module({
  imports: [AuditModule],
  controllers: [OnboardingController, ChecklistController, PipelineController],
  providers: [
    OnboardingService,
    PipelineService,
    BulkCasesService,
    QualificationService,
    { provide: ONBOARDING_FACTS, useClass: SqlOnboardingFactsProvider },
  ],
  exports: [OnboardingService, QualificationService, ONBOARDING_FACTS],
})
export class OnboardingModule {}
