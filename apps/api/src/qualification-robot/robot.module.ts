import { Module } from '@nestjs/common';
import { OnboardingModule } from '../onboarding/onboarding.module.js';
import { DossierService } from './dossier.service.js';
import { PdfRenderer } from './pdf-renderer.js';
import { RobotController } from './robot.controller.js';
import { RobotRunsService } from './robot-runs.service.js';

/** The qualification robot's runs as staff see them, and the qualification dossier (HTML, PDF). */
@Module({
  imports: [OnboardingModule],
  controllers: [RobotController],
  providers: [RobotRunsService, DossierService, PdfRenderer],
})
export class QualificationRobotModule {}
