import type { FranceConnectEnvironment } from '@fcplat/domain';
import type { CitizenFranceConnectPurpose } from '@fcplat/db';

/** Why the citizen goes to FranceConnect: log in, sign up, or retrieve data (FC-08). */
export type FranceConnectPurpose = CitizenFranceConnectPurpose;

/** The tenant whose FranceConnect client a flow uses (FC-21: never another tenant's client_id). */
export interface FlowTenant {
  readonly id: string;
  readonly slug: string;
  /** A login or sign-up also asks for the data scopes (login-time data retrieval). */
  readonly dataAtLogin?: boolean;
  /**
   * The environment whose client this flow uses instead of the live one: only for the
   * qualification robot's browser, from its robot pass (never production, see RobotPassService).
   */
  readonly environment?: FranceConnectEnvironment | null;
}

/** A verified FranceConnect authentication (ID token and userinfo checked by the relying party). */
export interface FranceConnectAuthentication {
  readonly sub: string;
  readonly issuer: string;
  /** The environment of the client that made the login (the tenant's live one at the time). */
  readonly environment: FranceConnectEnvironment;
  readonly acr: string;
  /** Kept (encrypted) for the logout's `id_token_hint` (SR-10). */
  readonly idToken: string;
  /** Userinfo claims (given_name, family_name, birthdate, gender, birthplace, birthcountry, email...). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly purpose: FranceConnectPurpose;
  /** Scopes granted, when the relying party knows them. */
  readonly scopes: readonly string[];
  /** `auth_time` of the ID token, or the time of the callback. */
  readonly authenticatedAt: Date;
}

/**
 * A FranceConnect flow that stopped (provider error, `access_denied`, bad or replayed state,
 * token checks failed...). `message` is French and safe to show; `logoutRecommended` asks for
 * a FranceConnect logout when an ID token is at hand (FC-20, SR-03).
 */
export class FranceConnectFlowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly logoutRecommended: boolean,
    readonly idToken: string | null = null,
  ) {
    super(message);
    this.name = 'FranceConnectFlowError';
  }
}

/**
 * What the portal needs of the FranceConnect relying party. `binding` is the hash of the
 * browser-binding cookie: a flow started in one browser for one tenant only completes in that
 * browser for that tenant (SR-02).
 */
export interface FranceConnectFlows {
  /** The authorization URL to redirect the browser to. */
  begin(tenant: FlowTenant, binding: string, purpose: FranceConnectPurpose): Promise<string>;
  /** Completes the callback; throws {@link FranceConnectFlowError} when the flow must stop. */
  complete(tenant: FlowTenant, binding: string, query: Readonly<Record<string, string>>): Promise<FranceConnectAuthentication>;
  /**
   * The `end_session` URL (with `id_token_hint`, a fresh `state`, the registered post-logout URI);
   * without a hint (a flow stopped before any verified ID token), `client_id` instead: FranceConnect
   * then asks the citizen to confirm.
   */
  logoutUrl(tenant: FlowTenant, binding: string, idTokenHint: string | null): Promise<string>;
  /** Checks the `state` of the logout return; throws {@link FranceConnectFlowError} when it does not match. */
  completeLogout(tenant: FlowTenant, binding: string, state: string): Promise<void>;
}

export const FRANCECONNECT_FLOWS = Symbol('FRANCECONNECT_FLOWS');
