import { ApiTokenEntity } from './api-token.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { JobOutcomeEntity } from './job-outcome.entity.js';
import { UserOneTimeTokenEntity } from './one-time-token.entity.js';
import { UserSessionEntity } from './session.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';
import { ONBOARDING_AREA_ENTITIES } from './onboarding-area.js';
import { TENANTS_AREA_ENTITIES } from './tenants-area.js';
import { FRANCECONNECT_AREA_ENTITIES } from './franceconnect-area.js';
import { PORTAL_AREA_ENTITIES } from './portal-area.js';
import { API_PARTICULIER_AREA_ENTITIES } from './api-particulier-area.js';
import { QUALIFICATION_ROBOT_AREA_ENTITIES } from './qualification-robot-area.js';
import { NOTIFICATIONS_AREA_ENTITIES } from './notifications-area.js';

export * from './api-token.entity.js';
export * from './audit-log.entity.js';
export * from './job-outcome.entity.js';
export * from './one-time-token.entity.js';
export * from './session.entity.js';
export * from './tenant.entity.js';
export * from './user.entity.js';
export * from './tenants-area.js';
export * from './onboarding-area.js';
export * from './franceconnect-area.js';
export * from './portal-area.js';
export * from './api-particulier-area.js';
export * from './qualification-robot-area.js';
export * from './notifications-area.js';

/**
 * Every entity. Areas add theirs here. A table without an entity must be used only through a query
 * module registered in `QUERY_MODULE_TABLES` (libs/db/test/table-ownership.int-spec.ts checks both).
 */
export const ENTITIES = [
  AuditLogEntity,
  JobOutcomeEntity,
  UserEntity,
  UserSessionEntity,
  UserOneTimeTokenEntity,
  ApiTokenEntity,
  TenantEntity,
  ...TENANTS_AREA_ENTITIES,
  ...ONBOARDING_AREA_ENTITIES,
  ...FRANCECONNECT_AREA_ENTITIES,
  ...PORTAL_AREA_ENTITIES,
  ...API_PARTICULIER_AREA_ENTITIES,
  ...QUALIFICATION_ROBOT_AREA_ENTITIES,
  ...NOTIFICATIONS_AREA_ENTITIES,
];
