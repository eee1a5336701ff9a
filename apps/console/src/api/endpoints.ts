/**
 * The console's API calls, one function each, over the API contract's route table
 * (libs/contract): paths, parameters, bodies and answers are all typed by the contract.
 */
import type { BodyOf, ParamsOf, QueryOf } from '@fcplat/contract';
import type { ApiParticulierEnvironment, CommentVisibility, FranceConnectEnvironment, HabilitationProduct, LiveEnvironmentProduct } from '@fcplat/domain';
import { call, routeHref } from './client';

export const auth = {
  login: (email: string, password: string) => call('login', { body: { email, password } }),
  totp: (code: string) => call('totp', { body: { code } }),
  totpSetup: () => call('totpSetup'),
  totpActivate: (code: string) => call('totpActivate', { body: { code } }),
  logout: () => call('logout'),
  me: () => call('me'),
  acceptInvitation: (token: string, password: string, displayName?: string) => call('acceptInvitation', { body: { token, password, ...(displayName ? { displayName } : {}) } }),
  requestPasswordReset: (email: string) => call('requestPasswordReset', { body: { email } }),
  completePasswordReset: (token: string, password: string) => call('completePasswordReset', { body: { token, password } }),
};

export const accounts = {
  /** Active staff members (assignees of cases), by name. */
  staff: () => call('listAccounts', { query: { kind: 'staff', status: 'active', sort: 'displayName', order: 'asc', pageSize: 100 } }),
  tenantAdmins: (tenantId: string) => call('listTenantAdmins', { params: { tenantId }, query: { pageSize: 100, sort: 'email' } }),
  inviteTenantAdmin: (tenantId: string, input: BodyOf<'inviteTenantAdmin'>) => call('inviteTenantAdmin', { params: { tenantId }, body: input }),
  resendTenantAdminInvitation: (tenantId: string, userId: string) => call('resendTenantAdminInvitation', { params: { tenantId, userId } }),
  disableTenantAdmin: (tenantId: string, userId: string) => call('disableTenantAdmin', { params: { tenantId, userId } }),
  enableTenantAdmin: (tenantId: string, userId: string) => call('enableTenantAdmin', { params: { tenantId, userId } }),
  /** The « Équipe » page: every staff account (any status), by name. */
  staffTeam: (page: number, pageSize: number) => call('listAccounts', { query: { kind: 'staff', sort: 'displayName', order: 'asc', page, pageSize } }),
  inviteStaff: (input: BodyOf<'inviteStaff'>) => call('inviteStaff', { body: input }),
  resendInvitation: (id: string) => call('resendInvitation', { params: { id } }),
  changeRole: (id: string, input: BodyOf<'changeRole'>) => call('changeRole', { params: { id }, body: input }),
  disable: (id: string) => call('disableAccount', { params: { id } }),
  enable: (id: string) => call('enableAccount', { params: { id } }),
};

/** The caller's own notifications and preferences (docs/notifications.md). */
export const notifications = {
  list: (page: number, pageSize: number, unreadOnly = false) => call('listNotifications', { query: { page, pageSize, ...(unreadOnly ? { unread: 'true' as const } : {}) } }),
  unread: () => call('unreadNotifications'),
  read: (notificationId: string) => call('readNotification', { params: { notificationId } }),
  readAll: () => call('readAllNotifications'),
  preferences: () => call('notificationPreferences'),
  putPreferences: (input: BodyOf<'putNotificationPreferences'>) => call('putNotificationPreferences', { body: input }),
};

export type TenantPatch = BodyOf<'patchTenant'>;

export const tenants = {
  create: (input: BodyOf<'createTenant'>) => call('createTenant', { body: input }),
  get: (id: string) => call('getTenant', { params: { id } }),
  patch: (id: string, patch: TenantPatch) => call('patchTenant', { params: { id }, body: patch }),
  refreshDirectory: (id: string) => call('refreshDirectory', { params: { id } }),
  uploadLogo: (tenantId: string, file: Blob) => call('putTenantLogo', { params: { tenantId }, file }),
  removeLogo: (tenantId: string) => call('deleteTenantLogo', { params: { tenantId } }),
  /** The start of the path of a logo uploaded for the portal `slug` (whatever its version). */
  logoPathPrefix: (slug: string) => routeHref('portalLogo', { slug, version: '0' }).slice(0, -1),
};

export type HabilitationInput = BodyOf<'putHabilitation'>;

export const habilitations = {
  list: (id: string) => call('listHabilitations', { params: { id } }),
  put: (id: string, product: HabilitationProduct, input: HabilitationInput) => call('putHabilitation', { params: { id, product }, body: input }),
  history: (id: string, product: HabilitationProduct) => call('habilitationHistory', { params: { id, product } }),
};

export const credentials = {
  list: (id: string) => call('listCredentials', { params: { id } }),
  putFranceConnect: (id: string, environment: FranceConnectEnvironment, input: BodyOf<'putFranceConnectCredentials'>) =>
    call('putFranceConnectCredentials', { params: { id, environment }, body: input }),
  putApiParticulier: (id: string, environment: ApiParticulierEnvironment, input: BodyOf<'putApiParticulierCredentials'>) =>
    call('putApiParticulierCredentials', { params: { id, environment }, body: input }),
  /** Revokes an environment's credentials (409 for the live environment's). */
  removeFranceConnect: (id: string, environment: FranceConnectEnvironment) => call('deleteFranceConnectCredentials', { params: { id, environment } }),
  removeApiParticulier: (id: string, environment: ApiParticulierEnvironment) => call('deleteApiParticulierCredentials', { params: { id, environment } }),
  createSandboxClient: (id: string) => call('createSandboxClient', { params: { id } }),
  createSandboxApiParticulierToken: (id: string) => call('createSandboxApiParticulierToken', { params: { id } }),
  franceConnectUris: (id: string) => call('franceConnectUris', { params: { id } }),
};

/** Path segment of each product in the live-environment routes. */
const PRODUCT_SEGMENTS = { franceconnect: 'franceconnect', api_particulier: 'api-particulier' } as const satisfies Record<LiveEnvironmentProduct, ParamsOf<'chooseLiveEnvironment'>['product']>;

export const liveEnvironments = {
  view: (id: string) => call('liveEnvironments', { params: { id } }),
  choose: (id: string, product: LiveEnvironmentProduct, input: BodyOf<'chooseLiveEnvironment'>) =>
    call('chooseLiveEnvironment', { params: { id, product: PRODUCT_SEGMENTS[product] }, body: input }),
  checkFranceConnect: (id: string) => call('checkFranceConnect', { params: { id } }),
};

export type CasesQuery = NonNullable<QueryOf<'listCases'>>;

export const onboarding = {
  pipeline: () => call('pipeline'),
  analytics: () => call('pipelineAnalytics'),
  cases: (query: CasesQuery, signal?: AbortSignal) => call('listCases', { query, signal }),
  /** A plain link (same-origin cookie): the pipeline as CSV, with the list's filters and order. */
  exportUrl: (query: NonNullable<QueryOf<'exportCases'>>) => routeHref('exportCases', {}, query),
  bulkAssign: (input: BodyOf<'bulkAssignCases'>) => call('bulkAssignCases', { body: input }),
  bulkMove: (input: BodyOf<'bulkMoveCases'>) => call('bulkMoveCases', { body: input }),
  get: (tenantId: string) => call('getCase', { params: { tenantId } }),
  patch: (tenantId: string, input: BodyOf<'patchCase'>) => call('patchCase', { params: { tenantId }, body: input }),
  transition: (tenantId: string, input: BodyOf<'transition'>) => call('transition', { params: { tenantId }, body: input }),
  history: (tenantId: string) => call('caseHistory', { params: { tenantId }, query: { pageSize: 100, order: 'desc' } }),
  comments: (tenantId: string) => call('listComments', { params: { tenantId }, query: { pageSize: 100, order: 'desc' } }),
  addComment: (tenantId: string, body: string, visibility?: CommentVisibility) =>
    call('addComment', { params: { tenantId }, body: visibility ? { body, visibility } : { body } }),
};

export const qualification = {
  checklist: (tenantId: string) => call('checklist', { params: { tenantId } }),
  putItem: (tenantId: string, itemId: string, input: BodyOf<'putChecklistItem'>) => call('putChecklistItem', { params: { tenantId, itemId }, body: input }),
};

/** The qualification robot and the qualification dossier (staff only). */
export const robot = {
  overview: (tenantId: string) => call('robotOverview', { params: { tenantId } }),
  runs: (tenantId: string) => call('robotRuns', { params: { tenantId } }),
  /** 202 with the run recorded (or the one already waiting); 409 when the client uses no FranceConnect mode. */
  request: (tenantId: string) => call('requestRobotRun', { params: { tenantId } }),
  /** Plain URLs (same-origin cookie): an `<img>` for a screenshot, links for the dossier. */
  screenshotUrl: (tenantId: string, runId: string, name: string) => routeHref('robotScreenshot', { tenantId, runId, name }),
  dossierHtmlUrl: (tenantId: string) => routeHref('qualificationDossierHtml', { tenantId }),
  dossierPdfUrl: (tenantId: string) => routeHref('qualificationDossierPdf', { tenantId }),
};

/** The journal's filters: an action prefix and an author (`actorId`), each optional. */
export interface JournalFilters {
  readonly action?: string;
  readonly actorId?: string;
}

const journalQuery = (filters: JournalFilters) => ({ ...(filters.action ? { action: filters.action } : {}), ...(filters.actorId ? { actorId: filters.actorId } : {}) });

export const audit = {
  forTenant: (tenantId: string, page: number, pageSize = 20, filters: JournalFilters = {}) =>
    call('tenantAudit', { params: { tenantId }, query: { page, pageSize, order: 'desc', ...journalQuery(filters) } }),
  exportUrl: (tenantId: string, filters: JournalFilters = {}) => routeHref('tenantAuditExport', { tenantId }, journalQuery(filters)),
  /** The people who acted in the tenant's journal (the author filter's choices). */
  authors: (tenantId: string) => call('tenantAuditAuthors', { params: { tenantId } }),
};

export type ApiParticulierCallsQuery = Pick<NonNullable<QueryOf<'listApiParticulierCalls'>>, 'page' | 'pageSize' | 'status' | 'api' | 'from' | 'to' | 'dossierReference'>;
export type ApiParticulierCallsExportQuery = NonNullable<QueryOf<'exportApiParticulierCalls'>>;
export type BatchModality = NonNullable<NonNullable<QueryOf<'uploadApiParticulierBatch'>>['modality']>;
export type BatchApi = NonNullable<QueryOf<'uploadApiParticulierBatch'>>['api'];

export const apiParticulier = {
  calls: (tenantId: string, query: ApiParticulierCallsQuery) => call('listApiParticulierCalls', { params: { tenantId }, query: { ...query, sort: 'queuedAt', order: 'desc' } }),
  /** Plain link: the call log as CSV, with the same filters. */
  callsExportUrl: (tenantId: string, query: ApiParticulierCallsExportQuery) => routeHref('exportApiParticulierCalls', { tenantId }, query),
  batchLines: (tenantId: string, batchId: string, page: number, pageSize: number) =>
    call('apiParticulierBatchLines', { params: { tenantId, batchId }, query: { page, pageSize } }),
  batches: (tenantId: string) => call('listApiParticulierBatches', { params: { tenantId }, query: { page: 1, pageSize: 20, order: 'desc' } }),
  upload: (tenantId: string, api: BatchApi, modality: BatchModality, file: File) =>
    call('uploadApiParticulierBatch', { params: { tenantId }, query: { api, modality, fileName: file.name.slice(0, 255) || 'dossiers.csv' }, file }),
  /** Plain links (same-origin cookie): the browser downloads the CSV. */
  resultsUrl: (tenantId: string, batchId: string) => routeHref('apiParticulierBatchResults', { tenantId, batchId }),
  rejectionsUrl: (tenantId: string, batchId: string) => routeHref('apiParticulierBatchRejections', { tenantId, batchId }),
  templateUrl: (tenantId: string, modality: BatchModality) => routeHref('apiParticulierBatchTemplate', { tenantId }, { modality }),
};

export const admin = {
  queueDashboard: () => call('queueDashboard'),
};

export const companyDirectory = {
  preview: (siret: string, signal?: AbortSignal) => call('companyDirectoryPreview', { params: { siret }, signal }),
  search: (q: string, signal?: AbortSignal) => call('companyDirectorySearch', { query: { q }, signal }),
};
