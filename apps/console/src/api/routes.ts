/**
 * Every API route the console calls, with what it sends and what it reads of the answer.
 *
 * This table is the console's contract with the API: the client (`client.ts`) can only call a
 * route declared here, and a test (`test/console-api-contract.int-spec.ts`) starts the real API
 * and checks each entry against `/api/openapi.json`: the method and path exist, each query
 * parameter and request field is declared, and each response field the console reads is in the
 * documented response schema. Field paths use `a.b` for nested objects and `a[].b` for the items
 * of an array. The file has no imports so that the test can load it as is.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/tenants/{id}`. */
  readonly path: string;
  /** Query parameters the console may send. */
  readonly query?: readonly string[];
  /** Request body fields the console may send. */
  readonly request?: readonly string[];
  /** Response fields the console reads (none for 204 answers). */
  readonly response?: readonly string[];
  /** The body is a file of this type (sent as is), not JSON. */
  readonly rawBody?: string;
  /** A file to download (a link), of this type, instead of JSON. */
  readonly produces?: string;
}

const TENANT_FIELDS = [
  'id',
  'siret',
  'slug',
  'name',
  'nameSource',
  'status',
  'address.street',
  'address.postalCode',
  'address.city',
  'legalCategory.code',
  'legalCategory.label',
  'legalCategory.kind',
  'directoryWarnings[].code',
  'directoryWarnings[].message',
  'directoryCheckedAt',
  'technicalContact.name',
  'technicalContact.email',
  'technicalContact.phone',
  'administrativeContact.name',
  'administrativeContact.email',
  'administrativeContact.phone',
  'connexionEnabled',
  'dataRetrievalEnabled',
  'dataRetrievalAtLogin',
  'branding.portalName',
  'branding.logoUrl',
  'branding.primaryColor',
  'branding.secondaryColor',
  'version',
] as const;

const USER_FIELDS = ['id', 'email', 'displayName', 'kind', 'role', 'tenantId', 'status', 'totpEnabled'] as const;

const CASE_FIELDS = [
  'tenantId',
  'tenantName',
  'siret',
  'stage',
  'stageLabel',
  'stageEnteredAt',
  'assignee.id',
  'assignee.displayName',
  'dsFileNumber',
  'modes.connexion',
  'modes.dataRetrieval',
  'habilitations.franceconnect',
  'habilitations.api_particulier',
  'timing.workingDays',
  'timing.slaWorkingDays',
  'timing.deadline',
  'timing.overdue',
  'timing.overdueBy',
  'timing.waitingOn',
  'timing.waitingOnLabel',
  'timing.message',
  'progress.summary',
  'progress.done',
  'progress.nextActions[].actor',
  'progress.nextActions[].actorLabel',
  'progress.nextActions[].text',
  'progress.blockers[].code',
  'progress.blockers[].message',
  'progress.blockers[].itemIds',
  'availableTransitions[].to',
  'availableTransitions[].label',
  'availableTransitions[].kind',
  'availableTransitions[].reasonRequired',
  'version',
] as const;

const CHECKLIST_FIELDS = [
  'modes.connexion',
  'modes.dataRetrieval',
  'items[].id',
  'items[].title',
  'items[].description',
  'items[].modes',
  'items[].checks',
  'items[].conditional',
  'items[].status',
  'items[].statusLabel',
  'items[].source',
  'items[].evidence.text',
  'items[].evidence.url',
  'items[].checkedBy.displayName',
  'items[].checkedAt',
  'items[].blocking.cause',
  'items[].blocking.message',
  'summary.total',
  'summary.counts.todo',
  'summary.counts.passed',
  'summary.counts.failed',
  'summary.counts.not_applicable',
  'summary.readyForQualification',
] as const;

const HABILITATION_FIELDS = [
  'product',
  'state',
  'stateLabel',
  'dataPassId',
  'scopes',
  'modalities',
  'submittedAt',
  'validatedAt',
  'refusedAt',
  'updatedAt',
  'version',
] as const;

const FC_CREDENTIAL_FIELDS = ['environment', 'clientId', 'clientSecret.status', 'clientSecret.masked', 'signingAlgorithm', 'issuerUrl', 'standIn', 'updatedAt', 'version'] as const;
const APIP_CREDENTIAL_FIELDS = ['environment', 'token.status', 'token.masked', 'standIn', 'receivedOn', 'expiresOn', 'expiresInDays', 'expiryWarning', 'expired', 'updatedAt', 'version'] as const;

/** One product's live environment and the environments it may move to (GET and PUT …/environments). */
const PRODUCT_ENVIRONMENTS_FIELDS = [
  'product',
  'live.environment',
  'live.label',
  'live.production',
  'live.chosenAt',
  'live.chosenBy.id',
  'live.chosenBy.name',
  'live.reason',
  'live.version',
  'usable',
  'problem',
  'environments[].environment',
  'environments[].label',
  'environments[].production',
  'environments[].live',
  'environments[].credentials',
  'environments[].problem',
  'environments[].standIn',
  'environments[].lastSuccessAt',
  'environments[].switch.allowed',
  'environments[].switch.code',
  'environments[].switch.message',
  'environments[].switch.reasonRequired',
] as const;

const prefixed = (prefix: string, fields: readonly string[]): string[] => fields.map((f) => `${prefix}${f}`);

/** One run of the qualification robot (apps/api/src/qualification-robot/schemas.ts). */
const ROBOT_RUN_FIELDS = [
  'id',
  'trigger',
  'triggerLabel',
  'reason',
  'requestedBy.displayName',
  'status',
  'statusLabel',
  'progress.done',
  'progress.total',
  'progress.label',
  'liveEnvironment',
  'loginEnvironment',
  'counts.passed',
  'counts.failed',
  'counts.not_verifiable',
  'counts.not_applicable',
  'error.code',
  'error.message',
  'requestedAt',
  'startedAt',
  'finishedAt',
  'durationMs',
] as const;

/** A completed run with each item's verdict, evidence, change since the run before and the person's verdict. */
const ROBOT_RUN_DETAIL_FIELDS = [
  ...ROBOT_RUN_FIELDS,
  'items[].id',
  'items[].title',
  'items[].verdict',
  'items[].verdictLabel',
  'items[].summary',
  'items[].findings',
  'items[].evidence',
  'items[].environment',
  'items[].screenshots[].name',
  'items[].screenshots[].label',
  'items[].previousVerdict',
  'items[].changed',
  'items[].person.status',
  'items[].person.disagrees',
] as const;
const page = (fields: readonly string[]): string[] => ['page', 'pageSize', 'total', ...prefixed('items[].', fields)];
const PAGE_QUERY = ['page', 'pageSize', 'sort', 'order'] as const;

export const ROUTES = {
  // --- authentication (apps/api/src/accounts/auth.controller.ts) ---
  login: { method: 'POST', path: '/api/auth/login', request: ['email', 'password'], response: ['next'] },
  totp: { method: 'POST', path: '/api/auth/totp', request: ['code'], response: ['status'] },
  totpSetup: { method: 'POST', path: '/api/auth/totp/setup', response: ['otpauthUri', 'qrCodeDataUrl', 'secret'] },
  totpActivate: { method: 'POST', path: '/api/auth/totp/activate', request: ['code'], response: ['status'] },
  logout: { method: 'POST', path: '/api/auth/logout' },
  me: { method: 'GET', path: '/api/auth/me', response: [...USER_FIELDS] },
  acceptInvitation: { method: 'POST', path: '/api/auth/invitations/accept', request: ['token', 'password', 'displayName'], response: ['email'] },
  requestPasswordReset: { method: 'POST', path: '/api/auth/password-reset/request', request: ['email'], response: ['status'] },
  completePasswordReset: { method: 'POST', path: '/api/auth/password-reset/complete', request: ['token', 'password'] },

  // --- accounts ---
  listAccounts: { method: 'GET', path: '/api/accounts', query: [...PAGE_QUERY, 'kind', 'status'], response: page(['id', 'displayName', 'role']) },
  listTenantAdmins: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/admins',
    query: [...PAGE_QUERY],
    response: page(['id', 'email', 'displayName', 'status', 'lastLoginAt']),
  },
  inviteTenantAdmin: { method: 'POST', path: '/api/tenants/{tenantId}/admins', request: ['email', 'displayName'], response: ['user.email', 'invitation.sent', 'invitation.expiresAt'] },

  // --- tenants ---
  createTenant: {
    method: 'POST',
    path: '/api/tenants',
    request: ['siret', 'name', 'connexionEnabled', 'dataRetrievalEnabled'],
    response: [...TENANT_FIELDS],
  },
  getTenant: { method: 'GET', path: '/api/tenants/{id}', response: [...TENANT_FIELDS] },
  patchTenant: {
    method: 'PATCH',
    path: '/api/tenants/{id}',
    request: ['version', 'name', 'technicalContact', 'administrativeContact', 'connexionEnabled', 'dataRetrievalEnabled', 'dataRetrievalAtLogin', 'branding'],
    response: [...TENANT_FIELDS],
  },
  refreshDirectory: { method: 'POST', path: '/api/tenants/{id}/directory-refresh', response: [...TENANT_FIELDS] },

  // --- habilitations ---
  listHabilitations: { method: 'GET', path: '/api/tenants/{id}/habilitations', response: prefixed('items[].', HABILITATION_FIELDS) },
  putHabilitation: {
    method: 'PUT',
    path: '/api/tenants/{id}/habilitations/{product}',
    request: ['state', 'dataPassId', 'scopes', 'modalities', 'note', 'version'],
    response: [...HABILITATION_FIELDS],
  },
  habilitationHistory: {
    method: 'GET',
    path: '/api/tenants/{id}/habilitations/{product}/history',
    response: prefixed('items[].', ['id', 'fromState', 'toState', 'source', 'actorType', 'dataPassEvent', 'note', 'occurredAt']),
  },

  // --- credentials vault ---
  listCredentials: {
    method: 'GET',
    path: '/api/tenants/{id}/credentials',
    response: [...prefixed('franceconnect[].', FC_CREDENTIAL_FIELDS), ...prefixed('apiParticulier[].', APIP_CREDENTIAL_FIELDS)],
  },
  putFranceConnectCredentials: {
    method: 'PUT',
    path: '/api/tenants/{id}/credentials/franceconnect/{environment}',
    request: ['clientId', 'clientSecret', 'signingAlgorithm', 'version'],
    response: [...FC_CREDENTIAL_FIELDS],
  },
  putApiParticulierCredentials: {
    method: 'PUT',
    path: '/api/tenants/{id}/credentials/api-particulier/{environment}',
    request: ['token', 'receivedOn', 'expiresOn', 'version'],
    response: [...APIP_CREDENTIAL_FIELDS],
  },
  deleteFranceConnectCredentials: { method: 'DELETE', path: '/api/tenants/{id}/credentials/franceconnect/{environment}' },
  deleteApiParticulierCredentials: { method: 'DELETE', path: '/api/tenants/{id}/credentials/api-particulier/{environment}' },
  createSandboxClient: { method: 'POST', path: '/api/tenants/{id}/franceconnect/sandbox-client', response: [...FC_CREDENTIAL_FIELDS] },
  createSandboxApiParticulierToken: { method: 'POST', path: '/api/tenants/{id}/api-particulier/sandbox-token', response: [...APIP_CREDENTIAL_FIELDS] },

  // --- live environments (apps/api/src/tenants/live-environments.controller.ts) ---
  liveEnvironments: {
    method: 'GET',
    path: '/api/tenants/{id}/environments',
    response: ['stage', 'stageLabel', ...prefixed('franceconnect.', PRODUCT_ENVIRONMENTS_FIELDS), ...prefixed('apiParticulier.', PRODUCT_ENVIRONMENTS_FIELDS)],
  },
  chooseLiveEnvironment: { method: 'PUT', path: '/api/tenants/{id}/environments/{product}', request: ['environment', 'reason', 'version'], response: [...PRODUCT_ENVIRONMENTS_FIELDS] },
  checkFranceConnect: {
    method: 'POST',
    path: '/api/tenants/{id}/environments/franceconnect/check',
    response: ['environment', 'label', 'ok', 'summary', 'checkedAt', 'steps[].step', 'steps[].status', 'steps[].detail', 'steps[].durationMs'],
  },

  companyDirectoryPreview: {
    method: 'GET',
    path: '/api/company-directory/{siret}',
    response: ['siret', 'available', 'found', 'name', 'address.street', 'address.postalCode', 'address.city', 'legalCategoryLabel', 'warnings[].code', 'warnings[].message', 'existingTenant.id', 'existingTenant.name'],
  },

  // --- API Particulier activity (apps/api/src/api-particulier) ---
  listApiParticulierCalls: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/api-particulier/calls',
    query: ['page', 'pageSize', 'sort', 'order', 'status', 'api', 'origin', 'batchId'],
    response: page([
      'id',
      'environment',
      'environmentLabel',
      'apiLabel',
      'modality',
      'origin',
      'triggeredByLabel',
      'batchLine',
      'dossierReference',
      'status',
      'httpStatus',
      'errorCode',
      'errorLabel',
      'latencyMs',
      'attempts',
      'rateLimited',
      'queuedAt',
      'finishedAt',
    ]),
  },
  listApiParticulierBatches: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/api-particulier/batches',
    query: ['page', 'pageSize', 'order'],
    response: page(['id', 'apiLabel', 'modality', 'environment', 'environmentLabel', 'fileName', 'createdAt', 'createdBy', 'totalLines', 'acceptedLines', 'rejectedLines', 'progress.queued', 'progress.inProgress', 'progress.succeeded', 'progress.failed', 'progress.done']),
  },
  /** Downloads (plain links: the browser saves the CSV with the session cookie). */
  apiParticulierBatchResults: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}/results.csv', produces: 'text/csv' },
  apiParticulierBatchRejections: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}/rejections.csv', produces: 'text/csv' },
  apiParticulierBatchTemplate: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/template.csv', query: ['modality'], produces: 'text/csv' },
  uploadApiParticulierBatch: {
    method: 'POST',
    path: '/api/tenants/{tenantId}/api-particulier/batches',
    query: ['api', 'modality', 'fileName'],
    rawBody: 'text/csv',
    response: ['id', 'totalLines', 'acceptedLines', 'rejectedLines', 'rejections[].line', 'rejections[].reference', 'rejections[].reasons'],
  },
  franceConnectUris: { method: 'GET', path: '/api/tenants/{id}/franceconnect/uris', response: ['redirectUri', 'postLogoutRedirectUri'] },

  // --- onboarding ---
  pipeline: { method: 'GET', path: '/api/onboarding/pipeline', response: ['stages[].stage', 'stages[].label', 'stages[].count', 'stages[].overdue', 'total', 'overdue'] },
  listCases: {
    method: 'GET',
    path: '/api/onboarding/cases',
    query: [...PAGE_QUERY, 'stage', 'overdue', 'assignee', 'search'],
    response: page(['tenantId', 'tenantName', 'siret', 'stage', 'stageLabel', 'waitingWorkingDays', 'deadline', 'overdue', 'assignee.id', 'assignee.displayName', 'liveEnvironments.franceconnect', 'liveEnvironments.apiParticulier']),
  },
  getCase: { method: 'GET', path: '/api/tenants/{tenantId}/onboarding', response: [...CASE_FIELDS] },
  patchCase: { method: 'PATCH', path: '/api/tenants/{tenantId}/onboarding', request: ['assigneeId', 'dsFileNumber'], response: [...CASE_FIELDS] },
  transition: { method: 'POST', path: '/api/tenants/{tenantId}/onboarding/transitions', request: ['to', 'reason', 'dsFileNumber'], response: [...CASE_FIELDS] },
  caseHistory: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/onboarding/history',
    query: ['page', 'pageSize', 'order'],
    response: page(['id', 'fromStage', 'toStage', 'toStageLabel', 'kind', 'reason', 'actor.displayName', 'actor.type', 'occurredAt']),
  },
  listComments: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/onboarding/comments',
    query: ['page', 'pageSize', 'order'],
    response: page(['id', 'author.displayName', 'body', 'createdAt']),
  },
  addComment: { method: 'POST', path: '/api/tenants/{tenantId}/onboarding/comments', request: ['body'], response: ['id', 'author.displayName', 'body', 'createdAt'] },

  // --- qualification checklist ---
  checklist: { method: 'GET', path: '/api/tenants/{tenantId}/checklist', response: [...CHECKLIST_FIELDS] },
  putChecklistItem: { method: 'PUT', path: '/api/tenants/{tenantId}/checklist/{itemId}', request: ['status', 'evidenceText', 'evidenceUrl'], response: [...CHECKLIST_FIELDS] },

  // --- qualification robot and dossier (apps/api/src/qualification-robot/robot.controller.ts), staff only ---
  robotOverview: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/qualification/robot',
    response: [...prefixed('pending.', ROBOT_RUN_FIELDS), ...prefixed('lastCompleted.', ROBOT_RUN_DETAIL_FIELDS), ...prefixed('lastFailure.', ROBOT_RUN_FIELDS), 'blocking'],
  },
  robotRuns: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot/runs', response: prefixed('items[].', ROBOT_RUN_FIELDS) },
  requestRobotRun: { method: 'POST', path: '/api/tenants/{tenantId}/qualification/robot/runs', response: [...ROBOT_RUN_FIELDS] },
  /** Images and downloads (plain `<img>` and links: the session cookie goes with them, same origin). */
  robotScreenshot: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot/runs/{runId}/screenshots/{name}', produces: 'image/png' },
  qualificationDossierHtml: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/dossier.html', produces: 'text/html' },
  qualificationDossierPdf: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/dossier.pdf', produces: 'application/pdf' },

  // --- audit ---
  tenantAudit: {
    method: 'GET',
    path: '/api/tenants/{tenantId}/audit',
    query: ['page', 'pageSize', 'order'],
    response: page(['id', 'occurredAt', 'actor.type', 'actor.displayName', 'action', 'changes']),
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
