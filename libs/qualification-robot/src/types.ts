import type { Browser } from 'playwright-core';
import type { FranceConnectEnvironment, QualificationItemId, RobotVerdict } from '@fcplat/domain';

/** A verdict of the robot (the domain's list). `not_applicable`: the item applies to none of the tenant's modes. */
export type { RobotVerdict };

export interface RobotItemResult {
  readonly id: QualificationItemId;
  readonly verdict: RobotVerdict;
  /** One French sentence. */
  readonly summary: string;
  /** French, one per problem found (empty when passed). */
  readonly findings: readonly string[];
  /** JSON-safe measurements; never a secret, token, code, cookie or citizen data. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Environment this item was proven against (null = no FranceConnect round trip needed). */
  readonly environment: FranceConnectEnvironment | null;
  /** Names of `RobotReport.screenshots`. */
  readonly screenshots: readonly string[];
}

export interface RobotScreenshot {
  readonly name: string;
  readonly label: string;
  readonly png: Buffer;
}

export interface RobotReport {
  readonly portalUrl: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly items: readonly RobotItemResult[];
  readonly screenshots: readonly RobotScreenshot[];
}

export interface TestIdentity {
  readonly login: string;
  readonly password?: string;
}

export interface RobotTarget {
  readonly tenantId: string;
  readonly slug: string;
  /** e.g. http://127.0.0.1:PORT/t/{slug}/ (https in production). */
  readonly portalUrl: string;
  readonly modes: { readonly connexion: boolean; readonly dataRetrieval: boolean };
  /** Environment whose client the portal uses for everyone (null: FranceConnect not set up). */
  readonly liveEnvironment: FranceConnectEnvironment | null;
  /** client_id recorded by staff per environment (FC-21 compares /authorize's client_id to the one of the environment the flow used). */
  readonly clientIds: Partial<Record<FranceConnectEnvironment, string>>;
  /**
   * How the checks that need a citizen to log in run: with a NON-production client and a test identity.
   * `loginQuery` is appended to the portal's FranceConnect login links. null = no non-production
   * client: those checks are `not_verifiable` with the reason.
   */
  /**
   * Cookies of the portal's origin set in every browser context of the run, sent to the portal
   * only (the worker's robot pass: the portal then spares the robot its per-IP limits and, on a
   * tenant live in production, uses the non-production client named by the pass).
   */
  readonly portalCookies?: Readonly<Record<string, string>>;
  readonly login: {
    readonly environment: Exclude<FranceConnectEnvironment, 'production'>;
    readonly issuer: string;
    readonly loginQuery: Readonly<Record<string, string>>;
    /** Cookies of the portal's origin for the login journeys only, replacing `portalCookies` of the same name (the pass naming this environment). */
    readonly cookies?: Readonly<Record<string, string>>;
    readonly identity: TestIdentity;
  } | null;
}

export interface RobotOptions {
  readonly browser: Browser;
  readonly onProgress?: (done: number, total: number, label: string) => void;
  readonly signal?: AbortSignal;
  /** Whole run; default 60 s. Phases not reached in time are reported `not_verifiable`. */
  readonly timeoutMs?: number;
}
