/**
 * The portal's JSON contract with the API (`/api/portal/{slug}/...`), as the back-end implements it.
 * Optional or nullable members are read defensively: the portal never trusts a shape blindly.
 */

export interface PortalBranding {
  readonly portalName?: string | null;
  readonly logoUrl?: string | null;
  readonly primaryColor?: string | null;
  readonly secondaryColor?: string | null;
}

/** `GET /api/portal/{slug}` */
export interface PortalInfo {
  readonly slug: string;
  readonly name: string;
  readonly branding: PortalBranding;
  readonly connexionEnabled: boolean;
  readonly dataRetrievalEnabled: boolean;
  /** FranceConnect login and sign-up also retrieve the data. */
  readonly dataRetrievalAtLogin: boolean;
  /** The FranceConnect environment chosen by the editor's staff for this portal. */
  readonly environment: {
    readonly franceConnect: string | null;
    /** Not production: the « environnement de test » banner. */
    readonly test: boolean;
    /** FranceConnect can be offered now. */
    readonly franceConnectAvailable: boolean;
  };
}

export type IdentitySource = 'franceconnect' | 'local';

/** The pivot identity (FC-15): birth name, first names, birth date, birth place and country, sex. */
export interface PivotIdentity {
  readonly source: IdentitySource;
  readonly familyName: string | null;
  readonly givenNames: string | null;
  /** `YYYY-MM-DD` */
  readonly birthdate: string | null;
  /** INSEE COG code of the birth town (empty when born abroad). */
  readonly birthplace: string | null;
  /** INSEE COG code of the birth country (`99100` = France). */
  readonly birthcountry: string | null;
  readonly gender: string | null;
}

/** The pivot identity fields a citizen may type for an identity that does not come from FranceConnect. */
export interface DeclaredIdentityInput {
  readonly familyName: string;
  readonly givenNames: string;
  readonly birthdate: string;
  readonly gender: string;
  readonly birthcountry: string;
  readonly birthplace: string | null;
}

/** A FranceConnect identity waiting for the citizen to accept or refuse the link (FC-11). */
export type PendingIdentity = Partial<Omit<PivotIdentity, 'source'>>;

/** `GET /api/portal/{slug}/me` (200) */
export interface Me {
  readonly id: string;
  readonly email: string | null;
  readonly usageName: string | null;
  readonly identity: PivotIdentity | null;
  readonly franceConnectLinked: boolean;
  readonly franceConnectSessionExpiresAt?: string | null;
  readonly pendingReconciliation?: (PendingIdentity & { readonly identity?: PendingIdentity; readonly expiresAt?: string }) | null;
}

/** Answers that may send the browser to FranceConnect (logout, account deletion). */
export interface RedirectAnswer {
  readonly redirect: string | null;
}

/** `POST /api/portal/{slug}/data-retrieval` */
export type DataRetrievalStart =
  | { readonly status: 'redirect'; readonly redirect: string }
  | { readonly status: 'confirm_required'; readonly expiresAt: string };

/** One API's data as the portal shows it (never the raw answer). */
export interface RetrievedData {
  readonly api: string;
  readonly label: string;
  readonly provider: string;
  /** What the tenant uses it for. */
  readonly usage: string;
  readonly status: 'succeeded' | 'failed' | 'pending';
  /** « Quotient familial 2550 (CNAF, juin 2023) » */
  readonly description: string | null;
  readonly message: string | null;
  readonly retrievedAt: string | null;
}

/** `POST /api/portal/{slug}/data-retrieval/confirm` */
export interface DataRetrievalConfirmed {
  readonly status: 'ok';
  readonly scopes: readonly string[];
  readonly results: readonly RetrievedData[];
}

/** RFC 9457 problem document, as the API answers errors. */
export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly violations?: readonly { readonly path: string; readonly message: string }[];
  /** Where to go to fix it (e.g. FranceConnect again), a path of this site. */
  readonly redirect?: string;
}
