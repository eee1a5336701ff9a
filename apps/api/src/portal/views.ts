import type { RetrievedData } from './data-retrieval.service.js';
import type { CitizenGender, CitizenIdentitySource, TenantBranding, TenantEntity } from '@fcplat/db';
import type { PivotIdentity } from './pivot-identity.js';
import { API_PARTICULIER_APIS, FRANCECONNECT_ENVIRONMENTS, isProductionEnvironment, type FranceConnectEnvironment } from '@fcplat/domain';

/** `GET /api/portal/{slug}`: what the portal shows before anyone logs in. */
export interface PortalView {
  readonly slug: string;
  readonly name: string;
  readonly branding: TenantBranding;
  readonly connexionEnabled: boolean;
  readonly dataRetrievalEnabled: boolean;
  /** FranceConnect login and sign-up also retrieve the data (the portal says so before the button). */
  readonly dataRetrievalAtLogin: boolean;
  /** The FranceConnect environment the portal uses, chosen by staff. */
  readonly environment: PortalEnvironmentView;
}

export interface PortalEnvironmentView {
  /** `null`: none chosen yet. */
  readonly franceConnect: FranceConnectEnvironment | null;
  /** Not production: the portal shows a discreet « environnement de test » banner. */
  readonly test: boolean;
  /** FranceConnect can be offered now (an environment is chosen and its client is usable). */
  readonly franceConnectAvailable: boolean;
}

export function portalView(tenant: TenantEntity, franceConnect: { environment: FranceConnectEnvironment | null; usable: boolean }): PortalView {
  const { portalName, logoUrl, primaryColor, secondaryColor } = tenant.branding;
  return {
    slug: tenant.slug,
    name: tenant.name,
    branding: { ...(portalName ? { portalName } : {}), ...(logoUrl ? { logoUrl } : {}), ...(primaryColor ? { primaryColor } : {}), ...(secondaryColor ? { secondaryColor } : {}) },
    connexionEnabled: tenant.connexionEnabled,
    dataRetrievalEnabled: tenant.dataRetrievalEnabled,
    dataRetrievalAtLogin: tenant.dataRetrievalEnabled && tenant.dataRetrievalAtLogin,
    environment: { franceConnect: franceConnect.environment, test: !isProductionEnvironment(franceConnect.environment), franceConnectAvailable: franceConnect.usable },
  };
}

export interface IdentityView {
  readonly source: CitizenIdentitySource;
  readonly familyName: string | null;
  readonly givenNames: string | null;
  readonly birthdate: string | null;
  readonly birthplace: string | null;
  readonly birthcountry: string | null;
  readonly gender: CitizenGender | null;
}

export interface PendingReconciliationView {
  /** The identity FranceConnect gave, to be linked to this account if the citizen confirms. */
  readonly identity: PivotIdentity;
  readonly expiresAt: string;
}

/** `GET /api/portal/{slug}/me`. */
export interface CitizenView {
  readonly id: string;
  readonly email: string | null;
  readonly usageName: string | null;
  readonly identity: IdentityView | null;
  readonly franceConnectLinked: boolean;
  readonly franceConnectSessionExpiresAt?: string;
  readonly pendingReconciliation?: PendingReconciliationView;
}

export interface RedirectView {
  /** Where the browser goes next (FranceConnect's logout), or null. */
  readonly redirect: string | null;
}

export type DataRetrievalStart = { readonly status: 'confirm_required'; readonly expiresAt: string } | { readonly status: 'redirect'; readonly redirect: string };

export interface DataRetrievalConfirmation {
  readonly status: 'ok';
  readonly scopes: readonly string[];
  readonly results: readonly RetrievedData[];
}

const nullableString = { type: 'string', nullable: true };
const PIVOT_PROPERTIES = {
  familyName: { ...nullableString, description: 'Birth name' },
  givenNames: { ...nullableString, description: 'First names, space-separated' },
  birthdate: { ...nullableString, description: 'YYYY-MM-DD (FranceConnect may send 00 for an unknown month or day)' },
  birthplace: { ...nullableString, description: 'INSEE COG code of the birth commune (empty abroad)' },
  birthcountry: { ...nullableString, description: 'INSEE COG code of the birth country (99100: France)' },
  gender: { type: 'string', enum: ['male', 'female', 'unspecified'], nullable: true },
};

export const PORTAL_VIEW_SCHEMA = {
  type: 'object',
  required: ['slug', 'name', 'branding', 'connexionEnabled', 'dataRetrievalEnabled', 'dataRetrievalAtLogin', 'environment'],
  properties: {
    slug: { type: 'string' },
    name: { type: 'string' },
    branding: {
      type: 'object',
      properties: { portalName: { type: 'string' }, logoUrl: { type: 'string' }, primaryColor: { type: 'string' }, secondaryColor: { type: 'string' } },
    },
    connexionEnabled: { type: 'boolean', description: 'Login and sign-up with FranceConnect offered' },
    dataRetrievalEnabled: { type: 'boolean', description: '« Récupérer mes données avec FranceConnect » offered' },
    dataRetrievalAtLogin: { type: 'boolean', description: 'FranceConnect login and sign-up also retrieve the data, right after the token exchange' },
    environment: {
      type: 'object',
      required: ['franceConnect', 'test', 'franceConnectAvailable'],
      properties: {
        franceConnect: { type: 'string', nullable: true, enum: [...FRANCECONNECT_ENVIRONMENTS], description: 'Live FranceConnect environment chosen by staff (null: none yet)' },
        test: { type: 'boolean', description: 'Not production: a « environnement de test » banner is shown' },
        franceConnectAvailable: { type: 'boolean', description: 'FranceConnect can be offered now (environment chosen, client usable)' },
      },
    },
  },
};

/** `POST /api/portal/{slug}/signup`: the same answer whatever the address. */
export interface SignupRequested {
  readonly status: 'check_inbox';
}

export const SIGNUP_REQUESTED_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['check_inbox'], description: 'An e-mail was sent to the address (an activation link, or a message saying it has an account)' } },
};

export const CITIZEN_VIEW_SCHEMA = {
  type: 'object',
  required: ['id', 'email', 'usageName', 'identity', 'franceConnectLinked'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: nullableString,
    usageName: nullableString,
    identity: {
      type: 'object',
      nullable: true,
      required: ['source', ...Object.keys(PIVOT_PROPERTIES)],
      properties: { source: { type: 'string', enum: ['franceconnect', 'local'], description: 'franceconnect: read-only (FC-15)' }, ...PIVOT_PROPERTIES },
    },
    franceConnectLinked: { type: 'boolean' },
    franceConnectSessionExpiresAt: { type: 'string', format: 'date-time', description: 'End of the 30-minute FranceConnect session of this login' },
    pendingReconciliation: {
      type: 'object',
      required: ['identity', 'expiresAt'],
      properties: { identity: { type: 'object', properties: PIVOT_PROPERTIES }, expiresAt: { type: 'string', format: 'date-time' } },
    },
  },
};

export const REDIRECT_VIEW_SCHEMA = {
  type: 'object',
  required: ['redirect'],
  properties: { redirect: { type: 'string', nullable: true, description: 'FranceConnect logout URL to navigate to, or null' } },
};

export const DATA_RETRIEVAL_START_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['confirm_required', 'redirect'] },
    expiresAt: { type: 'string', format: 'date-time', description: 'confirm_required: end of the FranceConnect session' },
    redirect: { type: 'string', description: 'redirect: where the browser goes to authenticate with FranceConnect' },
  },
};

export const RETRIEVED_DATA_SCHEMA = {
  type: 'object',
  required: ['api', 'label', 'provider', 'usage', 'status', 'description', 'summary', 'message', 'retrievedAt'],
  properties: {
    api: { type: 'string', enum: [...API_PARTICULIER_APIS] },
    label: { type: 'string' },
    provider: { type: 'string' },
    usage: { type: 'string', description: 'What the tenant uses the data for' },
    status: { type: 'string', enum: ['succeeded', 'failed', 'pending'] },
    description: { type: 'string', nullable: true, description: 'One French sentence, e.g. « Quotient familial 2550 (CNAF, juin 2023) »' },
    summary: { type: 'object', nullable: true, description: 'The useful values only (per API: quotientFamilial {valeur, annee, mois, fournisseur}, estInscrit, estBoursier/echelon, estBeneficiaire…)' },
    message: { type: 'string', nullable: true },
    retrievedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

export const DATA_RETRIEVAL_CONFIRMATION_SCHEMA = {
  type: 'object',
  required: ['status', 'scopes', 'results'],
  properties: { status: { type: 'string', enum: ['ok'] }, scopes: { type: 'array', items: { type: 'string' } }, results: { type: 'array', items: RETRIEVED_DATA_SCHEMA } },
};

export const DATA_RETRIEVAL_RESULTS_SCHEMA = { type: 'object', required: ['results'], properties: { results: { type: 'array', items: RETRIEVED_DATA_SCHEMA } } };
