/** Typed functions over the route table: one per API call the console makes. */
import type { HabilitationProduct, HabilitationState, ItemStatus, OnboardingStage } from '@fcplat/domain';
import { call, routeHref } from './client';
import type {
  AccountSummary,
  ApiParticulierBatch,
  ApiParticulierBatchCreated,
  ApiParticulierCall,
  ApiParticulierCredential,
  ApiParticulierEnvironment,
  AuditEntry,
  DirectoryPreview,
  Branding,
  CaseHistoryEntry,
  CaseListItem,
  CaseView,
  Checklist,
  CommentView,
  Contact,
  Credentials,
  EnvironmentsView,
  FranceConnectCredential,
  FranceConnectEnvironment,
  FranceConnectUris,
  Habilitation,
  HabilitationHistoryEntry,
  InvitationResult,
  LiveCheck,
  LiveEnvironmentProduct,
  Me,
  Page,
  PipelineView,
  ProductEnvironments,
  RobotOverview,
  RobotRun,
  Tenant,
} from './types';

export type NextStep = 'totp' | 'totp_setup';

export const auth = {
  login: (email: string, password: string) => call<{ next: NextStep }>('login', { body: { email, password } }),
  totp: (code: string) => call<{ status: 'authenticated' }>('totp', { body: { code } }),
  totpSetup: () => call<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }>('totpSetup'),
  totpActivate: (code: string) => call<{ status: 'authenticated' }>('totpActivate', { body: { code } }),
  logout: () => call<void>('logout'),
  me: () => call<Me>('me'),
  acceptInvitation: (token: string, password: string, displayName?: string) =>
    call<{ email: string }>('acceptInvitation', { body: { token, password, ...(displayName ? { displayName } : {}) } }),
  requestPasswordReset: (email: string) => call<{ status: 'accepted' }>('requestPasswordReset', { body: { email } }),
  completePasswordReset: (token: string, password: string) => call<void>('completePasswordReset', { body: { token, password } }),
};

export const accounts = {
  /** Active staff members (assignees of cases), by name. */
  staff: () => call<Page<AccountSummary>>('listAccounts', { query: { kind: 'staff', status: 'active', sort: 'displayName', order: 'asc', pageSize: 100 } }),
  tenantAdmins: (tenantId: string) => call<Page<AccountSummary>>('listTenantAdmins', { params: { tenantId }, query: { pageSize: 100, sort: 'email' } }),
  inviteTenantAdmin: (tenantId: string, input: { email: string; displayName: string }) =>
    call<InvitationResult>('inviteTenantAdmin', { params: { tenantId }, body: input }),
};

export interface TenantPatch {
  readonly version: number;
  readonly name?: string;
  readonly technicalContact?: Contact | null;
  readonly administrativeContact?: Contact | null;
  readonly connexionEnabled?: boolean;
  readonly dataRetrievalEnabled?: boolean;
  readonly dataRetrievalAtLogin?: boolean;
  readonly branding?: { [K in keyof Branding]?: Branding[K] | null };
}

export const tenants = {
  create: (input: { siret: string; name?: string; connexionEnabled: boolean; dataRetrievalEnabled: boolean }) => call<Tenant>('createTenant', { body: input }),
  get: (id: string) => call<Tenant>('getTenant', { params: { id } }),
  patch: (id: string, patch: TenantPatch) => call<Tenant>('patchTenant', { params: { id }, body: patch }),
  refreshDirectory: (id: string) => call<Tenant>('refreshDirectory', { params: { id } }),
};

export interface HabilitationInput {
  readonly state: HabilitationState;
  readonly dataPassId?: string | null;
  readonly scopes?: readonly string[];
  readonly modalities?: readonly string[];
  readonly note?: string;
  readonly version?: number;
}

export const habilitations = {
  list: (id: string) => call<{ items: Habilitation[] }>('listHabilitations', { params: { id } }),
  put: (id: string, product: HabilitationProduct, input: HabilitationInput) => call<Habilitation>('putHabilitation', { params: { id, product }, body: input }),
  history: (id: string, product: HabilitationProduct) => call<{ items: HabilitationHistoryEntry[] }>('habilitationHistory', { params: { id, product } }),
};

export const credentials = {
  list: (id: string) => call<Credentials>('listCredentials', { params: { id } }),
  putFranceConnect: (id: string, environment: FranceConnectEnvironment, input: { clientId: string; clientSecret?: string; signingAlgorithm: 'ES256' | 'RS256'; version?: number }) =>
    call<FranceConnectCredential>('putFranceConnectCredentials', { params: { id, environment }, body: input }),
  putApiParticulier: (id: string, environment: ApiParticulierEnvironment, input: { token?: string; receivedOn?: string; expiresOn?: string; version?: number }) =>
    call<ApiParticulierCredential>('putApiParticulierCredentials', { params: { id, environment }, body: input }),
  /** Revokes an environment's credentials (409 for the live environment's). */
  removeFranceConnect: (id: string, environment: FranceConnectEnvironment) => call<void>('deleteFranceConnectCredentials', { params: { id, environment } }),
  removeApiParticulier: (id: string, environment: ApiParticulierEnvironment) => call<void>('deleteApiParticulierCredentials', { params: { id, environment } }),
  createSandboxClient: (id: string) => call<FranceConnectCredential>('createSandboxClient', { params: { id } }),
  createSandboxApiParticulierToken: (id: string) => call<ApiParticulierCredential>('createSandboxApiParticulierToken', { params: { id } }),
  franceConnectUris: (id: string) => call<FranceConnectUris>('franceConnectUris', { params: { id } }),
};

/** Path segment of each product in the live-environment routes. */
const PRODUCT_SEGMENTS: Readonly<Record<LiveEnvironmentProduct, string>> = { franceconnect: 'franceconnect', api_particulier: 'api-particulier' };

export const liveEnvironments = {
  view: (id: string) => call<EnvironmentsView>('liveEnvironments', { params: { id } }),
  choose: (id: string, product: LiveEnvironmentProduct, input: { environment: string; reason?: string; version?: number }) =>
    call<ProductEnvironments>('chooseLiveEnvironment', { params: { id, product: PRODUCT_SEGMENTS[product] }, body: input }),
  checkFranceConnect: (id: string) => call<LiveCheck>('checkFranceConnect', { params: { id } }),
};

export interface CasesQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly sort: 'waiting' | 'stage' | 'name';
  readonly order?: 'asc' | 'desc';
  readonly stage?: OnboardingStage;
  readonly overdue?: boolean;
  readonly assignee?: string;
  readonly search?: string;
}

export const onboarding = {
  pipeline: () => call<PipelineView>('pipeline'),
  cases: (query: CasesQuery, signal?: AbortSignal) =>
    call<Page<CaseListItem>>('listCases', { query: { ...query, overdue: query.overdue ? 'true' : undefined }, signal }),
  get: (tenantId: string) => call<CaseView>('getCase', { params: { tenantId } }),
  patch: (tenantId: string, input: { assigneeId?: string | null; dsFileNumber?: string | null }) => call<CaseView>('patchCase', { params: { tenantId }, body: input }),
  transition: (tenantId: string, input: { to: OnboardingStage; reason?: string; dsFileNumber?: string }) =>
    call<CaseView>('transition', { params: { tenantId }, body: input }),
  history: (tenantId: string) => call<Page<CaseHistoryEntry>>('caseHistory', { params: { tenantId }, query: { pageSize: 100, order: 'desc' } }),
  comments: (tenantId: string) => call<Page<CommentView>>('listComments', { params: { tenantId }, query: { pageSize: 100, order: 'desc' } }),
  addComment: (tenantId: string, body: string) => call<CommentView>('addComment', { params: { tenantId }, body: { body } }),
};

export const qualification = {
  checklist: (tenantId: string) => call<Checklist>('checklist', { params: { tenantId } }),
  putItem: (tenantId: string, itemId: string, input: { status: ItemStatus; evidenceText?: string | null; evidenceUrl?: string | null }) =>
    call<Checklist>('putChecklistItem', { params: { tenantId, itemId }, body: input }),
};

/** The qualification robot and the qualification dossier (staff only). */
export const robot = {
  overview: (tenantId: string) => call<RobotOverview>('robotOverview', { params: { tenantId } }),
  runs: (tenantId: string) => call<{ items: RobotRun[] }>('robotRuns', { params: { tenantId } }),
  /** 202 with the run recorded (or the one already waiting); 409 when the client uses no FranceConnect mode. */
  request: (tenantId: string) => call<RobotRun>('requestRobotRun', { params: { tenantId } }),
  /** Plain URLs (same-origin cookie): an `<img>` for a screenshot, links for the dossier. */
  screenshotUrl: (tenantId: string, runId: string, name: string) => routeHref('robotScreenshot', { tenantId, runId, name }),
  dossierHtmlUrl: (tenantId: string) => routeHref('qualificationDossierHtml', { tenantId }),
  dossierPdfUrl: (tenantId: string) => routeHref('qualificationDossierPdf', { tenantId }),
};

export const audit = {
  forTenant: (tenantId: string, page: number, pageSize = 20) => call<Page<AuditEntry>>('tenantAudit', { params: { tenantId }, query: { page, pageSize, order: 'desc' } }),
};

export interface ApiParticulierCallsQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly status?: string;
  readonly api?: string;
}

export const apiParticulier = {
  calls: (tenantId: string, query: ApiParticulierCallsQuery) =>
    call<Page<ApiParticulierCall>>('listApiParticulierCalls', { params: { tenantId }, query: { ...query, sort: 'queuedAt', order: 'desc' } }),
  batches: (tenantId: string) => call<Page<ApiParticulierBatch>>('listApiParticulierBatches', { params: { tenantId }, query: { page: 1, pageSize: 20, order: 'desc' } }),
  upload: (tenantId: string, api: string, modality: 'pivot_identity' | 'ine', file: File) =>
    call<ApiParticulierBatchCreated>('uploadApiParticulierBatch', { params: { tenantId }, query: { api, modality, fileName: file.name.slice(0, 255) || 'dossiers.csv' }, file }),
  /** Plain links (same-origin cookie): the browser downloads the CSV. */
  resultsUrl: (tenantId: string, batchId: string) => routeHref('apiParticulierBatchResults', { tenantId, batchId }),
  rejectionsUrl: (tenantId: string, batchId: string) => routeHref('apiParticulierBatchRejections', { tenantId, batchId }),
  templateUrl: (tenantId: string, modality: 'pivot_identity' | 'ine') => routeHref('apiParticulierBatchTemplate', { tenantId }, { modality }),
};

export const companyDirectory = {
  preview: (siret: string, signal?: AbortSignal) => call<DirectoryPreview>('companyDirectoryPreview', { params: { siret }, ...(signal ? { signal } : {}) }),
};
