/**
 * What the observation functions gather (pure data, no Playwright object): page measurements per
 * theme and font size, captured FranceConnect traffic, flow outcomes. The pure checks
 * (checks.ts) turn them into verdicts. Raw `state`/`nonce` values live here only in memory: the
 * checks put digests in the evidence, never the values.
 */
import type { FranceConnectEnvironment } from '@fcplat/domain';

export type Theme = 'light' | 'dark';
export type SectionKey = 'connexion' | 'inscription';

export interface ColourPair {
  /** `#rrggbb` (or the raw CSS value when it is not an opaque colour). */
  readonly background: string;
  readonly text: string;
}

export interface ButtonFacts {
  /** Accessible text of the button, whitespace collapsed. */
  readonly label: string;
  /** Font weight of the « S'identifier avec » part and of the « FranceConnect » part (null: not found apart). */
  readonly loginWeight: number | null;
  readonly brandWeight: number | null;
  /** A visible logo (svg or img) inside the button, left of the label. */
  readonly logo: boolean;
  readonly width: number;
  readonly height: number;
  readonly rest: ColourPair;
  readonly hover: ColourPair | null;
  readonly active: ColourPair | null;
  /** `_blank` or other target attribute (null: same window). */
  readonly target: string | null;
}

export interface LinkFacts {
  readonly text: string;
  /** Resolved href. */
  readonly href: string | null;
  readonly target: string | null;
  readonly title: string | null;
  /** Vertical distance from the button's bottom edge to the link's top edge, px. */
  readonly gap: number;
  readonly fontSize: number;
  readonly underline: boolean;
  readonly visible: boolean;
}

export interface SectionFacts {
  readonly key: SectionKey;
  /** A visible heading with the section's name was found. */
  readonly found: boolean;
  readonly buttonCount: number;
  readonly button: ButtonFacts | null;
  /** The sentence above the button: found (visible), and its distance to the button (px, null when not above). */
  readonly sentence: { readonly found: boolean; readonly above: boolean; readonly gap: number | null };
  readonly link: LinkFacts | null;
  /** A visible « ou » element after FranceConnect and before the first other method. */
  readonly separator: { readonly found: boolean; readonly between: boolean };
  /** Other login/sign-up controls of the section, and those placed above the FranceConnect button. */
  readonly otherMethods: number;
  readonly otherMethodsAbove: readonly string[];
  /** Social or private login providers named or linked in the section. */
  readonly socialMentions: readonly string[];
}

export interface ViewFacts {
  readonly theme: Theme;
  readonly rootFontPx: number;
  readonly sections: Readonly<Record<SectionKey, SectionFacts>>;
}

export interface FramingFacts {
  /** iframe/frame/object/embed elements seen on the pages visited. */
  readonly embeddedFrames: number;
  readonly windowOpenCalls: number;
  /** Extra windows opened by the portal (pop-ups). */
  readonly popups: number;
  readonly contentSecurityPolicy: string | null;
  readonly xFrameOptions: string | null;
  /** Loading the portal in an iframe of another origin: refused by the browser, or displayed. */
  readonly framingAttempt: 'blocked' | 'displayed' | 'unknown';
}

export interface TlsAttempt {
  readonly maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly minVersion: 'TLSv1' | 'TLSv1.2' | 'TLSv1.3';
  readonly connected: boolean;
  readonly negotiated: string | null;
  /** Error code of a failed handshake. */
  readonly error: string | null;
  /** The client itself could not offer these versions (not a server refusal). */
  readonly clientUnsupported: boolean;
}

export type TlsFacts = { readonly scheme: 'http' } | { readonly scheme: 'https'; readonly host: string; readonly port: number; readonly attempts: readonly TlsAttempt[] };

export type AuthorizeOrigin = 'live' | 'login' | 'signup' | 'data_retrieval' | 'nonce_tamper';

export interface CapturedAuthorize {
  readonly origin: AuthorizeOrigin;
  readonly environment: FranceConnectEnvironment | null;
  readonly endpoint: string;
  /** Query parameters as sent by the browser (raw, in memory only). */
  readonly params: Readonly<Record<string, string>>;
}

export interface EndSessionFacts {
  /** The control (button) was found and activated. */
  readonly activated: boolean;
  readonly endSessionReached: boolean;
  readonly endpoint: string | null;
  /** Decoded (unverified) payload claims of id_token_hint; the token itself is not kept. */
  readonly hint: { readonly length: number; readonly sha256: string; readonly aud: readonly string[]; readonly iss: string | null } | null;
  readonly backOnPortal: boolean;
  readonly landedPath: string | null;
}

export interface FlowOutcome {
  readonly authorizeReached: boolean;
  /** FranceConnect asked for the identity (no silent single sign-on). */
  readonly identityAsked: boolean;
  readonly backOnPortal: boolean;
  readonly landedPath: string | null;
  /** The portal's `erreur` code on return, if any. */
  readonly errorCode: string | null;
  readonly loggedIn: boolean;
  readonly failure: string | null;
}

export interface TamperFacts {
  readonly environment: FranceConnectEnvironment | null;
  readonly attempted: boolean;
  readonly backOnHome: boolean;
  readonly errorCode: string | null;
  readonly loggedIn: boolean;
  readonly endSessionReached: boolean;
  readonly failure: string | null;
}

export interface ProfileFacts {
  readonly connectedIndicator: boolean;
  readonly profileLink: boolean;
  readonly profileReached: boolean;
  /** The profile page was shown (through its link, or at the address the login landed on): what FC-15 and FC-16 read. */
  readonly profileShown: boolean;
  readonly identitySection: boolean;
  /** Editable controls (or edit buttons) found in the identity section or labelled with a pivot identity field. */
  readonly pivotEditable: readonly string[];
  readonly pivotFieldsShown: number;
  readonly usageNameEditable: boolean | null;
  readonly emailEditable: boolean | null;
}

export interface LoginFacts {
  readonly environment: FranceConnectEnvironment;
  readonly signup: FlowOutcome | null;
  readonly login: FlowOutcome | null;
  readonly profile: ProfileFacts | null;
  readonly logout: EndSessionFacts | null;
  readonly deletion: EndSessionFacts | null;
  readonly dataRetrieval: (FlowOutcome & { readonly buttonFound: boolean; readonly scopes: readonly string[] }) | null;
  readonly issuer: string;
}

/** Everything one run observed; null parts were not observed (reason in `missing`). */
export interface RobotFacts {
  readonly views: readonly ViewFacts[] | null;
  readonly framing: FramingFacts | null;
  readonly tls: TlsFacts | null;
  readonly authorizes: readonly CapturedAuthorize[];
  /** Attempts of the live portal's login link (no login) that reached /authorize. */
  readonly liveAttempts: number;
  readonly stateTamper: TamperFacts | null;
  readonly nonceTamper: TamperFacts | null;
  readonly login: LoginFacts | null;
  /** Why a part is missing: `page`, `live`, `login`, `tls` → French reason. */
  readonly missing: Readonly<Record<string, string>>;
}
