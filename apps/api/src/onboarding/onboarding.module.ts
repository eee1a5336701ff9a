import { Module } from '@nestjs/common';

/** The onboarding area: controllers and services. */
@Module({})
export class OnboardingModule {}
