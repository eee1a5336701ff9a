import { AuditLogAndJobOutcome1764000000000 } from './1764000000000-audit-log-and-job-outcome.js';
import { Accounts1764100000000 } from './1764100000000-accounts.js';
import { Tenants1764100001000 } from './1764100001000-tenants.js';
import { Onboarding1764100002000 } from './1764100002000-onboarding.js';
import { Franceconnect1764200000000 } from './1764200000000-franceconnect.js';
import { Portal1764200001000 } from './1764200001000-portal.js';
import { ApiParticulier1764300000000 } from './1764300000000-api-particulier.js';
import { DataRetrievalAtLogin1764400000000 } from './1764400000000-data-retrieval-at-login.js';
import { AccessTokenUse1764500000000 } from './1764500000000-access-token-use.js';
import { LoginAttackTracking1764512000000 } from './1764512000000-login-attack-tracking.js';
import { LiveEnvironments1764600000000 } from './1764600000000-live-environments.js';
import { CitizenSignupConfirmation1764700000000 } from './1764700000000-citizen-signup-confirmation.js';
import { QualificationRobot1764800000000 } from './1764800000000-qualification-robot.js';
import { SharedRateLimits1764900000000 } from './1764900000000-shared-rate-limits.js';
import { ApiParticulierCallRecovery1765100000000 } from './1765100000000-api-particulier-call-recovery.js';
import { LearntIpCeiling1765200000000 } from './1765200000000-learnt-ip-ceiling.js';
import { TenantListSearch1765300000000 } from './1765300000000-tenant-list-search.js';
import { ChangeNotifications1765400000000 } from './1765400000000-change-notifications.js';
import { CommentVisibility1765500000000 } from './1765500000000-comment-visibility.js';
import { Notifications1765600000000 } from './1765600000000-notifications.js';
import { AuditLogTenantActor1765700000000 } from './1765700000000-audit-log-tenant-actor.js';
import { CallDossierReference1765800000000 } from './1765800000000-call-dossier-reference.js';
import { PipelineAnalytics1765900000000 } from './1765900000000-pipeline-analytics.js';
import { ForgivingTenantSearch1766000000000 } from './1766000000000-forgiving-tenant-search.js';
import { TenantLogo1766000000001 } from './1766000000001-tenant-logo.js';
import { RateLimitsInOneStatement1766100000000 } from './1766100000000-rate-limits-in-one-statement.js';

/** Every migration, in order. Listed explicitly (no glob) so the ESM build needs no loader tricks. */
export const MIGRATIONS = [
  AuditLogAndJobOutcome1764000000000,
  Accounts1764100000000,
  Tenants1764100001000,
  Onboarding1764100002000,
  Franceconnect1764200000000,
  Portal1764200001000,
  ApiParticulier1764300000000,
  DataRetrievalAtLogin1764400000000,
  AccessTokenUse1764500000000,
  LoginAttackTracking1764512000000,
  LiveEnvironments1764600000000,
  CitizenSignupConfirmation1764700000000,
  QualificationRobot1764800000000,
  SharedRateLimits1764900000000,
  ApiParticulierCallRecovery1765100000000,
  LearntIpCeiling1765200000000,
  TenantListSearch1765300000000,
  ChangeNotifications1765400000000,
  CommentVisibility1765500000000,
  Notifications1765600000000,
  AuditLogTenantActor1765700000000,
  CallDossierReference1765800000000,
  PipelineAnalytics1765900000000,
  ForgivingTenantSearch1766000000000,
  TenantLogo1766000000001,
  RateLimitsInOneStatement1766100000000,
];
