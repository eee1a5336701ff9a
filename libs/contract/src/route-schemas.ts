/**
 * The schemas of every route of the table (`routes.ts`), keyed by the same names: `params` (path
 * parameters, when they are more than strings), `query`, `body` (JSON) and `response` (JSON; none
 * for 204 answers and file downloads). The API validates with them (`ZodPipe`) and documents with
 * them (`/api/openapi.json`); the clients' types are read from them.
 */
import type { z } from 'zod';
import {
  apiParticulierCredentialParamsSchema,
  apiParticulierCredentialViewSchema,
  credentialsViewSchema,
  franceConnectCredentialParamsSchema,
  franceConnectCredentialViewSchema,
  franceConnectUrisSchema,
  putApiParticulierSchema,
  putFranceConnectSchema,
} from './credentials.js';
import { habilitationHistoryViewSchema, habilitationParamsSchema, habilitationViewSchema, putHabilitationSchema } from './habilitations.js';
import { chooseLiveEnvironmentSchema, environmentsViewSchema, liveCheckSchema, liveEnvironmentParamsSchema, productEnvironmentsSchema } from './live-environments.js';
import { listOf, pageOf, windowedPageOf } from './pagination.js';
import {
  notificationPageSchema,
  notificationPreferencesSchema,
  notificationsQuerySchema,
  putNotificationPreferencesSchema,
  unreadCountSchema,
} from './notifications.js';
import {
  acceptInvitationSchema,
  apiTokenViewSchema,
  changeRoleSchema,
  createApiTokenSchema,
  invitationAcceptedSchema,
  invitationResultSchema,
  inviteClientAdminSchema,
  inviteStaffSchema,
  issuedApiTokenSchema,
  listUsersQuerySchema,
  loggedInSchema,
  loginSchema,
  meSchema,
  nextStepSchema,
  passwordResetCompleteSchema,
  passwordResetRequestedSchema,
  passwordResetRequestSchema,
  tenantAdminsQuerySchema,
  totpCodeBodySchema,
  totpSetupSchema,
  userViewSchema,
} from './accounts.js';
import {
  allCallsQuerySchema,
  batchDetailSchema,
  batchLineSchema,
  batchLinesQuerySchema,
  batchListQuerySchema,
  batchTemplateQuerySchema,
  batchUploadQuerySchema,
  batchViewSchema,
  callExportQuerySchema,
  callListQuerySchema,
  callViewSchema,
  queueDashboardSchema,
} from './api-particulier.js';
import { pipelineAnalyticsSchema } from './analytics.js';
import { auditAuthorsSchema, auditEntrySchema, auditQuerySchema, tenantAuditExportQuerySchema, tenantAuditQuerySchema } from './audit.js';
import {
  bulkAssignBodySchema,
  bulkMoveBodySchema,
  bulkResultSchema,
  caseListItemSchema,
  casesExportQuerySchema,
  casePatchSchema,
  casesQuerySchema,
  caseViewSchema,
  checklistItemBodySchema,
  checklistSchema,
  commentBodySchema,
  commentSchema,
  commentsQuerySchema,
  historyEntrySchema,
  historyQuerySchema,
  pipelineSchema,
  settingsBodySchema,
  settingsSchema,
  transitionBodySchema,
} from './onboarding.js';
import {
  citizenLoginSchema,
  citizenSignupSchema,
  citizenViewSchema,
  dataRetrievalConfirmationSchema,
  dataRetrievalResultsQuerySchema,
  dataRetrievalResultsSchema,
  dataRetrievalStartSchema,
  patchCitizenSchema,
  portalViewSchema,
  redirectViewSchema,
  signupConfirmationSchema,
  signupRequestedSchema,
} from './portal.js';
import { robotOverviewSchema, robotRunDetailSchema, robotRunListSchema, robotRunSchema } from './qualification-robot.js';
import { companyDirectorySearchQuerySchema, companyDirectorySearchSchema, createTenantSchema, directoryPreviewSchema, listTenantsQuerySchema, patchTenantSchema, tenantViewSchema } from './tenants.js';

export interface RouteSchemas {
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
}

export const ROUTE_SCHEMAS = {
  login: { body: loginSchema, response: nextStepSchema },
  totp: { body: totpCodeBodySchema, response: loggedInSchema },
  totpSetup: { response: totpSetupSchema },
  totpActivate: { body: totpCodeBodySchema, response: loggedInSchema },
  logout: {},
  me: { response: meSchema },
  acceptInvitation: { body: acceptInvitationSchema, response: invitationAcceptedSchema },
  requestPasswordReset: { body: passwordResetRequestSchema, response: passwordResetRequestedSchema },
  completePasswordReset: { body: passwordResetCompleteSchema },

  createApiToken: { body: createApiTokenSchema, response: issuedApiTokenSchema },
  listApiTokens: { response: listOf(apiTokenViewSchema) },
  revokeApiToken: {},
  listAccounts: { query: listUsersQuerySchema, response: pageOf(userViewSchema) },
  inviteStaff: { body: inviteStaffSchema, response: invitationResultSchema },
  getAccount: { response: userViewSchema },
  resendInvitation: { response: invitationResultSchema },
  changeRole: { body: changeRoleSchema, response: userViewSchema },
  disableAccount: { response: userViewSchema },
  enableAccount: { response: userViewSchema },
  resetTotp: { response: userViewSchema },
  listNotifications: { query: notificationsQuerySchema, response: notificationPageSchema },
  unreadNotifications: { response: unreadCountSchema },
  readAllNotifications: { response: unreadCountSchema },
  readNotification: { response: unreadCountSchema },
  notificationPreferences: { response: notificationPreferencesSchema },
  putNotificationPreferences: { body: putNotificationPreferencesSchema, response: notificationPreferencesSchema },
  listTenantAdmins: { query: tenantAdminsQuerySchema, response: pageOf(userViewSchema) },
  inviteTenantAdmin: { body: inviteClientAdminSchema, response: invitationResultSchema },
  resendTenantAdminInvitation: { response: invitationResultSchema },
  disableTenantAdmin: { response: userViewSchema },
  enableTenantAdmin: { response: userViewSchema },

  pipeline: { response: pipelineSchema },
  pipelineAnalytics: { response: pipelineAnalyticsSchema },
  listCases: { query: casesQuerySchema, response: windowedPageOf(caseListItemSchema) },
  exportCases: { query: casesExportQuerySchema },
  bulkAssignCases: { body: bulkAssignBodySchema, response: bulkResultSchema },
  bulkMoveCases: { body: bulkMoveBodySchema, response: bulkResultSchema },
  onboardingSettings: { response: settingsSchema },
  putOnboardingSettings: { body: settingsBodySchema, response: settingsSchema },
  getCase: { response: caseViewSchema },
  patchCase: { body: casePatchSchema, response: caseViewSchema },
  transition: { body: transitionBodySchema, response: caseViewSchema },
  caseHistory: { query: historyQuerySchema, response: pageOf(historyEntrySchema) },
  listComments: { query: commentsQuerySchema, response: pageOf(commentSchema) },
  addComment: { body: commentBodySchema, response: commentSchema },

  checklist: { response: checklistSchema },
  putChecklistItem: { body: checklistItemBodySchema, response: checklistSchema },

  robotOverview: { response: robotOverviewSchema },
  robotRuns: { response: robotRunListSchema },
  requestRobotRun: { response: robotRunSchema },
  robotRun: { response: robotRunDetailSchema },
  robotScreenshot: {},
  qualificationDossierHtml: {},
  qualificationDossierPdf: {},

  createTenant: { body: createTenantSchema, response: tenantViewSchema },
  listTenants: { query: listTenantsQuerySchema, response: windowedPageOf(tenantViewSchema) },
  tenantBySlug: { response: tenantViewSchema },
  getTenant: { response: tenantViewSchema },
  patchTenant: { body: patchTenantSchema, response: tenantViewSchema },
  refreshDirectory: { response: tenantViewSchema },
  companyDirectoryPreview: { response: directoryPreviewSchema },
  companyDirectorySearch: { query: companyDirectorySearchQuerySchema, response: companyDirectorySearchSchema },
  putTenantLogo: { response: tenantViewSchema },
  deleteTenantLogo: { response: tenantViewSchema },

  listHabilitations: { response: listOf(habilitationViewSchema) },
  putHabilitation: { params: habilitationParamsSchema, body: putHabilitationSchema, response: habilitationViewSchema },
  habilitationHistory: { params: habilitationParamsSchema, response: listOf(habilitationHistoryViewSchema) },

  listCredentials: { response: credentialsViewSchema },
  putFranceConnectCredentials: { params: franceConnectCredentialParamsSchema, body: putFranceConnectSchema, response: franceConnectCredentialViewSchema },
  putApiParticulierCredentials: { params: apiParticulierCredentialParamsSchema, body: putApiParticulierSchema, response: apiParticulierCredentialViewSchema },
  deleteFranceConnectCredentials: { params: franceConnectCredentialParamsSchema },
  deleteApiParticulierCredentials: { params: apiParticulierCredentialParamsSchema },
  createSandboxClient: { response: franceConnectCredentialViewSchema },
  createSandboxApiParticulierToken: { response: apiParticulierCredentialViewSchema },
  franceConnectUris: { response: franceConnectUrisSchema },

  liveEnvironments: { response: environmentsViewSchema },
  chooseLiveEnvironment: { params: liveEnvironmentParamsSchema, body: chooseLiveEnvironmentSchema, response: productEnvironmentsSchema },
  checkFranceConnect: { response: liveCheckSchema },

  listApiParticulierCalls: { query: callListQuerySchema, response: pageOf(callViewSchema) },
  exportApiParticulierCalls: { query: callExportQuerySchema },
  uploadApiParticulierBatch: { query: batchUploadQuerySchema, response: batchDetailSchema },
  listApiParticulierBatches: { query: batchListQuerySchema, response: pageOf(batchViewSchema) },
  apiParticulierBatchTemplate: { query: batchTemplateQuerySchema },
  apiParticulierBatch: { response: batchDetailSchema },
  apiParticulierBatchLines: { query: batchLinesQuerySchema, response: pageOf(batchLineSchema) },
  apiParticulierBatchResults: {},
  apiParticulierBatchRejections: {},
  allApiParticulierCalls: { query: allCallsQuerySchema, response: pageOf(callViewSchema) },
  queueDashboard: { response: queueDashboardSchema },

  portal: { response: portalViewSchema },
  portalSignup: { body: citizenSignupSchema, response: signupRequestedSchema },
  portalConfirmSignup: { body: signupConfirmationSchema, response: citizenViewSchema },
  portalLogin: { body: citizenLoginSchema, response: citizenViewSchema },
  portalLogout: { response: redirectViewSchema },
  portalMe: { response: citizenViewSchema },
  portalLogo: {},
  portalUpdateMe: { body: patchCitizenSchema, response: citizenViewSchema },
  portalDeleteMe: { response: redirectViewSchema },
  portalConfirmReconciliation: { response: citizenViewSchema },
  portalRejectReconciliation: { response: citizenViewSchema },
  portalStartDataRetrieval: { response: dataRetrievalStartSchema },
  portalConfirmDataRetrieval: { response: dataRetrievalConfirmationSchema },
  portalDataRetrievalResults: { query: dataRetrievalResultsQuerySchema, response: dataRetrievalResultsSchema },

  auditLog: { query: auditQuerySchema, response: pageOf(auditEntrySchema) },
  tenantAudit: { query: tenantAuditQuerySchema, response: pageOf(auditEntrySchema) },
  tenantAuditExport: { query: tenantAuditExportQuerySchema },
  tenantAuditAuthors: { response: auditAuthorsSchema },
} as const satisfies Readonly<Record<string, RouteSchemas>>;
// Both tables name the same routes: checked in routes.ts (ROUTE_TABLES_AGREE), which reads this
// one's type; this module does not import routes.ts, so the two form no import cycle.
