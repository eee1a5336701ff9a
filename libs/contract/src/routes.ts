/**
 * The route table of the API contract: every route, once, with its method, path template and
 * success status. Its schemas (params, query, body, response) are in `route-schemas.ts`, keyed by
 * the same names (the compiler refuses a route without its entry there, or an entry without its
 * route), and the types below read them.
 *
 * This module has no runtime import (only `import type`, checked by `contract.spec.ts`): the
 * console and the portal import it as `@fcplat/contract/routes` for its values, and the types of
 * the schemas without bundling zod. The API imports everything from `@fcplat/contract`.
 */
import type { z } from 'zod';
import type { ROUTE_SCHEMAS } from './route-schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/tenants/{tenantId}/onboarding`. */
  readonly path: `/api/${string}`;
  /** The status of a successful answer. */
  readonly status: 200 | 201 | 202 | 204;
  /** The body is a file of this type (sent as is), not JSON. */
  readonly rawBody?: string;
  /** The answer is a file of this type (downloaded through a link), not JSON. */
  readonly produces?: string;
}

export const ROUTES = {
  // --- console authentication (apps/api/src/accounts/auth.controller.ts) ---
  login: { method: 'POST', path: '/api/auth/login', status: 200 },
  totp: { method: 'POST', path: '/api/auth/totp', status: 200 },
  totpSetup: { method: 'POST', path: '/api/auth/totp/setup', status: 200 },
  totpActivate: { method: 'POST', path: '/api/auth/totp/activate', status: 200 },
  logout: { method: 'POST', path: '/api/auth/logout', status: 204 },
  me: { method: 'GET', path: '/api/auth/me', status: 200 },
  acceptInvitation: { method: 'POST', path: '/api/auth/invitations/accept', status: 200 },
  requestPasswordReset: { method: 'POST', path: '/api/auth/password-reset/request', status: 202 },
  completePasswordReset: { method: 'POST', path: '/api/auth/password-reset/complete', status: 204 },

  // --- console accounts (apps/api/src/accounts/accounts.controller.ts); the tokens before `{id}` ---
  createApiToken: { method: 'POST', path: '/api/accounts/me/tokens', status: 201 },
  listApiTokens: { method: 'GET', path: '/api/accounts/me/tokens', status: 200 },
  revokeApiToken: { method: 'DELETE', path: '/api/accounts/me/tokens/{id}', status: 204 },
  listAccounts: { method: 'GET', path: '/api/accounts', status: 200 },
  inviteStaff: { method: 'POST', path: '/api/accounts/staff', status: 201 },
  getAccount: { method: 'GET', path: '/api/accounts/{id}', status: 200 },
  resendInvitation: { method: 'POST', path: '/api/accounts/{id}/invitation', status: 201 },
  changeRole: { method: 'PUT', path: '/api/accounts/{id}/role', status: 200 },
  disableAccount: { method: 'POST', path: '/api/accounts/{id}/disable', status: 200 },
  enableAccount: { method: 'POST', path: '/api/accounts/{id}/enable', status: 200 },
  resetTotp: { method: 'POST', path: '/api/accounts/{id}/totp/reset', status: 200 },
  // --- a person's notifications (apps/api/src/notifications); `read-all` before `{notificationId}` ---
  listNotifications: { method: 'GET', path: '/api/accounts/me/notifications', status: 200 },
  unreadNotifications: { method: 'GET', path: '/api/accounts/me/notifications/unread', status: 200 },
  readAllNotifications: { method: 'POST', path: '/api/accounts/me/notifications/read-all', status: 200 },
  readNotification: { method: 'POST', path: '/api/accounts/me/notifications/{notificationId}/read', status: 200 },
  notificationPreferences: { method: 'GET', path: '/api/accounts/me/notification-preferences', status: 200 },
  putNotificationPreferences: { method: 'PUT', path: '/api/accounts/me/notification-preferences', status: 200 },
  listTenantAdmins: { method: 'GET', path: '/api/tenants/{tenantId}/admins', status: 200 },
  inviteTenantAdmin: { method: 'POST', path: '/api/tenants/{tenantId}/admins', status: 201 },
  resendTenantAdminInvitation: { method: 'POST', path: '/api/tenants/{tenantId}/admins/{userId}/invitation', status: 201 },
  disableTenantAdmin: { method: 'POST', path: '/api/tenants/{tenantId}/admins/{userId}/disable', status: 200 },
  enableTenantAdmin: { method: 'POST', path: '/api/tenants/{tenantId}/admins/{userId}/enable', status: 200 },

  // --- onboarding: the pipeline and the cases (apps/api/src/onboarding) ---
  pipeline: { method: 'GET', path: '/api/onboarding/pipeline', status: 200 },
  pipelineAnalytics: { method: 'GET', path: '/api/onboarding/analytics', status: 200 },
  listCases: { method: 'GET', path: '/api/onboarding/cases', status: 200 },
  exportCases: { method: 'GET', path: '/api/onboarding/cases.csv', status: 200, produces: 'text/csv' },
  bulkAssignCases: { method: 'POST', path: '/api/onboarding/cases/bulk-assign', status: 200 },
  bulkMoveCases: { method: 'POST', path: '/api/onboarding/cases/bulk-move', status: 200 },
  onboardingSettings: { method: 'GET', path: '/api/onboarding/settings', status: 200 },
  putOnboardingSettings: { method: 'PUT', path: '/api/onboarding/settings', status: 200 },
  getCase: { method: 'GET', path: '/api/tenants/{tenantId}/onboarding', status: 200 },
  patchCase: { method: 'PATCH', path: '/api/tenants/{tenantId}/onboarding', status: 200 },
  transition: { method: 'POST', path: '/api/tenants/{tenantId}/onboarding/transitions', status: 200 },
  caseHistory: { method: 'GET', path: '/api/tenants/{tenantId}/onboarding/history', status: 200 },
  listComments: { method: 'GET', path: '/api/tenants/{tenantId}/onboarding/comments', status: 200 },
  addComment: { method: 'POST', path: '/api/tenants/{tenantId}/onboarding/comments', status: 201 },

  // --- qualification checklist ---
  checklist: { method: 'GET', path: '/api/tenants/{tenantId}/checklist', status: 200 },
  putChecklistItem: { method: 'PUT', path: '/api/tenants/{tenantId}/checklist/{itemId}', status: 200 },

  // --- qualification robot and dossier (apps/api/src/qualification-robot), staff only ---
  robotOverview: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot', status: 200 },
  robotRuns: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot/runs', status: 200 },
  requestRobotRun: { method: 'POST', path: '/api/tenants/{tenantId}/qualification/robot/runs', status: 202 },
  robotRun: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot/runs/{runId}', status: 200 },
  robotScreenshot: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/robot/runs/{runId}/screenshots/{name}', status: 200, produces: 'image/png' },
  qualificationDossierHtml: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/dossier.html', status: 200, produces: 'text/html' },
  qualificationDossierPdf: { method: 'GET', path: '/api/tenants/{tenantId}/qualification/dossier.pdf', status: 200, produces: 'application/pdf' },

  // --- tenants (apps/api/src/tenants) ---
  createTenant: { method: 'POST', path: '/api/tenants', status: 201 },
  listTenants: { method: 'GET', path: '/api/tenants', status: 200 },
  tenantBySlug: { method: 'GET', path: '/api/tenants/by-slug/{slug}', status: 200 },
  getTenant: { method: 'GET', path: '/api/tenants/{id}', status: 200 },
  patchTenant: { method: 'PATCH', path: '/api/tenants/{id}', status: 200 },
  refreshDirectory: { method: 'POST', path: '/api/tenants/{id}/directory-refresh', status: 200 },
  companyDirectoryPreview: { method: 'GET', path: '/api/company-directory/{siret}', status: 200 },
  companyDirectorySearch: { method: 'GET', path: '/api/company-directory', status: 200 },
  putTenantLogo: { method: 'PUT', path: '/api/tenants/{tenantId}/branding/logo', status: 200, rawBody: 'application/octet-stream' },
  deleteTenantLogo: { method: 'DELETE', path: '/api/tenants/{tenantId}/branding/logo', status: 200 },

  // --- DataPass habilitations ---
  listHabilitations: { method: 'GET', path: '/api/tenants/{id}/habilitations', status: 200 },
  putHabilitation: { method: 'PUT', path: '/api/tenants/{id}/habilitations/{product}', status: 200 },
  habilitationHistory: { method: 'GET', path: '/api/tenants/{id}/habilitations/{product}/history', status: 200 },

  // --- credentials vault ---
  listCredentials: { method: 'GET', path: '/api/tenants/{id}/credentials', status: 200 },
  putFranceConnectCredentials: { method: 'PUT', path: '/api/tenants/{id}/credentials/franceconnect/{environment}', status: 200 },
  putApiParticulierCredentials: { method: 'PUT', path: '/api/tenants/{id}/credentials/api-particulier/{environment}', status: 200 },
  deleteFranceConnectCredentials: { method: 'DELETE', path: '/api/tenants/{id}/credentials/franceconnect/{environment}', status: 204 },
  deleteApiParticulierCredentials: { method: 'DELETE', path: '/api/tenants/{id}/credentials/api-particulier/{environment}', status: 204 },
  createSandboxClient: { method: 'POST', path: '/api/tenants/{id}/franceconnect/sandbox-client', status: 200 },
  createSandboxApiParticulierToken: { method: 'POST', path: '/api/tenants/{id}/api-particulier/sandbox-token', status: 200 },
  franceConnectUris: { method: 'GET', path: '/api/tenants/{id}/franceconnect/uris', status: 200 },

  // --- live environments ---
  liveEnvironments: { method: 'GET', path: '/api/tenants/{id}/environments', status: 200 },
  chooseLiveEnvironment: { method: 'PUT', path: '/api/tenants/{id}/environments/{product}', status: 200 },
  checkFranceConnect: { method: 'POST', path: '/api/tenants/{id}/environments/franceconnect/check', status: 200 },

  // --- API Particulier activity (apps/api/src/api-particulier); the template before `{batchId}` ---
  listApiParticulierCalls: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/calls', status: 200 },
  exportApiParticulierCalls: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/calls.csv', status: 200, produces: 'text/csv' },
  uploadApiParticulierBatch: { method: 'POST', path: '/api/tenants/{tenantId}/api-particulier/batches', status: 201, rawBody: 'text/csv' },
  listApiParticulierBatches: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches', status: 200 },
  apiParticulierBatchTemplate: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/template.csv', status: 200, produces: 'text/csv' },
  apiParticulierBatch: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}', status: 200 },
  apiParticulierBatchLines: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}/lines', status: 200 },
  apiParticulierBatchResults: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}/results.csv', status: 200, produces: 'text/csv' },
  apiParticulierBatchRejections: { method: 'GET', path: '/api/tenants/{tenantId}/api-particulier/batches/{batchId}/rejections.csv', status: 200, produces: 'text/csv' },
  allApiParticulierCalls: { method: 'GET', path: '/api/api-particulier/calls', status: 200 },
  queueDashboard: { method: 'GET', path: '/api/admin/queue-dashboard', status: 200 },

  // --- the citizen portal (apps/api/src/portal/portal.controller.ts) ---
  portal: { method: 'GET', path: '/api/portal/{slug}', status: 200 },
  portalSignup: { method: 'POST', path: '/api/portal/{slug}/signup', status: 202 },
  portalConfirmSignup: { method: 'POST', path: '/api/portal/{slug}/signup/confirm', status: 201 },
  portalLogin: { method: 'POST', path: '/api/portal/{slug}/login', status: 200 },
  portalLogout: { method: 'POST', path: '/api/portal/{slug}/logout', status: 200 },
  portalMe: { method: 'GET', path: '/api/portal/{slug}/me', status: 200 },
  portalLogo: { method: 'GET', path: '/api/portal/{slug}/logo/{version}', status: 200, produces: 'image/*' },
  portalUpdateMe: { method: 'PATCH', path: '/api/portal/{slug}/me', status: 200 },
  portalDeleteMe: { method: 'DELETE', path: '/api/portal/{slug}/me', status: 200 },
  portalConfirmReconciliation: { method: 'POST', path: '/api/portal/{slug}/reconciliation/confirm', status: 200 },
  portalRejectReconciliation: { method: 'POST', path: '/api/portal/{slug}/reconciliation/reject', status: 200 },
  portalStartDataRetrieval: { method: 'POST', path: '/api/portal/{slug}/data-retrieval', status: 200 },
  portalConfirmDataRetrieval: { method: 'POST', path: '/api/portal/{slug}/data-retrieval/confirm', status: 200 },
  portalDataRetrievalResults: { method: 'GET', path: '/api/portal/{slug}/data-retrieval/results', status: 200 },

  // --- audit log ---
  auditLog: { method: 'GET', path: '/api/audit', status: 200 },
  tenantAudit: { method: 'GET', path: '/api/tenants/{tenantId}/audit', status: 200 },
  tenantAuditExport: { method: 'GET', path: '/api/tenants/{tenantId}/audit.csv', status: 200, produces: 'text/csv' },
  tenantAuditAuthors: { method: 'GET', path: '/api/tenants/{tenantId}/audit/authors', status: 200 },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/** The citizen portal's routes (`/api/portal/{slug}/…`): the only ones the portal calls. */
export type PortalRouteName = { [N in RouteName]: (typeof ROUTES)[N]['path'] extends `/api/portal/{slug}${string}` ? N : never }[RouteName];

// ---------------------------------------------------------------------------------------------
// Types read from the schemas
// ---------------------------------------------------------------------------------------------

type Schemas<N extends RouteName> = (typeof ROUTE_SCHEMAS)[N];

/** `true` only when the route table and the schema table name the same routes: a route missing from either does not compile. */
export const ROUTE_TABLES_AGREE: [Exclude<RouteName, keyof typeof ROUTE_SCHEMAS>, Exclude<keyof typeof ROUTE_SCHEMAS, RouteName>] extends [never, never] ? true : never = true;

/** The body of a route once validated by its schema (trimmed, defaults applied): what a controller receives. */
export type ParsedBodyOf<N extends RouteName> = Schemas<N> extends { readonly body: infer S extends z.ZodType } ? z.output<S> : never;

/** The query of a route once validated by its schema (coerced, defaults applied). */
export type ParsedQueryOf<N extends RouteName> = Schemas<N> extends { readonly query: infer S extends z.ZodType } ? z.output<S> : never;

/** The names of the `{name}` segments of a path template. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;

/** The path parameters of a route: typed by its `params` schema when it has one, strings otherwise. */
export type ParamsOf<N extends RouteName> =
  Schemas<N> extends { readonly params: infer S extends z.ZodType } ? z.input<S> : { readonly [K in PathParamNames<(typeof ROUTES)[N]['path']>]: string };

/** The JSON body a caller sends (`undefined`: none). */
export type BodyOf<N extends RouteName> = Schemas<N> extends { readonly body: infer S extends z.ZodType } ? z.input<S> : undefined;

/** A query value as a URL carries it: numbers and booleans are written out. */
export type QueryValue = string | number | boolean | null | undefined;

/** The query parameters a caller may send (`undefined`: none). Numbers coerced by the API accept a number or a string. */
export type QueryOf<N extends RouteName> =
  Schemas<N> extends { readonly query: infer S extends z.ZodType } ? { readonly [K in keyof z.input<S>]?: unknown extends z.input<S>[K] ? number | string : z.input<S>[K] } : undefined;

/** What a route answers, as the API sends it and the clients read it (`undefined`: 204, or a file). */
export type ResponseOf<N extends RouteName> = Schemas<N> extends { readonly response: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The options of a call: `params` when the path has some, `body` when the route takes one. */
export type CallOptions<N extends RouteName> = (keyof ParamsOf<N> extends never ? { readonly params?: undefined } : { readonly params: ParamsOf<N> }) &
  (BodyOf<N> extends undefined ? { readonly body?: undefined } : { readonly body: BodyOf<N> }) &
  (QueryOf<N> extends undefined ? { readonly query?: undefined } : { readonly query?: QueryOf<N> }) & {
    /** A file sent as is, for routes whose `rawBody` declares its type (CSV uploads). */
    readonly file?: Blob;
    readonly signal?: AbortSignal;
  };

/** `[options]`, optional when nothing in it is required. */
export type CallArguments<N extends RouteName> = object extends CallOptions<N> ? [options?: CallOptions<N>] : [options: CallOptions<N>];

/** Fills the `{name}` segments of a path template with their values, each URL-encoded. */
export function expandPath(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** The search part of a URL (`?a=1&b=x`, or `''`): empty, null and undefined values are left out. */
export function searchOf(query: Readonly<Record<string, QueryValue>> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The URL (path and query) of a call of a route. */
export function routeUrl<N extends RouteName>(name: N, params: ParamsOf<N> | undefined, query?: QueryOf<N>): string {
  return `${expandPath(ROUTES[name].path, params as Readonly<Record<string, unknown>> | undefined)}${searchOf(query as Readonly<Record<string, QueryValue>> | undefined)}`;
}
