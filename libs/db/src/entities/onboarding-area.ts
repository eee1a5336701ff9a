import { OnboardingCaseEntity } from './onboarding/onboarding-case.entity.js';
import { OnboardingCommentEntity } from './onboarding/onboarding-comment.entity.js';
import { OnboardingSettingEntity } from './onboarding/onboarding-setting.entity.js';
import { OnboardingStageChangeEntity } from './onboarding/onboarding-stage-change.entity.js';
import { QualificationCheckEntity } from './onboarding/qualification-check.entity.js';

export * from './onboarding/onboarding-case.entity.js';
export * from './onboarding/onboarding-comment.entity.js';
export * from './onboarding/onboarding-setting.entity.js';
export * from './onboarding/onboarding-stage-change.entity.js';
export * from './onboarding/qualification-check.entity.js';

/** Entities of the onboarding area (cases, history, comments, checklist). Owned by that area. */
export const ONBOARDING_AREA_ENTITIES: (new () => object)[] = [
  OnboardingCaseEntity,
  OnboardingStageChangeEntity,
  OnboardingCommentEntity,
  QualificationCheckEntity,
  OnboardingSettingEntity,
];
