/** Entities of the onboarding area (cases, history, comments, checklist). Owned by that area. */
export const ONBOARDING_AREA_ENTITIES: Function[] = [];
