/**
 * The shapes of the API answers the console reads (only the fields it uses; the route table
 * `routes.ts` lists them and a test checks them against the OpenAPI document).
 */
import type {
  ApiParticulierEnvironment,
  CallModality,
  FranceConnectEnvironment,
  HabilitationProduct,
  HabilitationState,
  ItemStatus,
  LiveEnvironmentProduct,
  OnboardingStage,
  PublicBodyKind,
  RobotRunStatus,
  RobotRunTrigger,
  RobotVerdict,
} from '@fcplat/domain';

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

export type StaffRole = 'admin' | 'onboarding_agent' | 'read_only';

export interface Me {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly kind: 'staff' | 'client_admin';
  readonly role: StaffRole | null;
  readonly tenantId: string | null;
  readonly status: 'invited' | 'active' | 'disabled';
  readonly totpEnabled: boolean;
}

export interface AccountSummary {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: StaffRole | null;
  readonly status: 'invited' | 'active' | 'disabled';
  readonly lastLoginAt: string | null;
}

export interface InvitationResult {
  readonly user: { readonly email: string };
  readonly invitation: { readonly sent: boolean; readonly expiresAt: string };
}

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly phone?: string;
}

export interface Branding {
  readonly portalName?: string;
  readonly logoUrl?: string;
  readonly primaryColor?: string;
  readonly secondaryColor?: string;
}

export interface DirectoryWarning {
  readonly code: string;
  readonly message: string;
}

export interface Tenant {
  readonly id: string;
  readonly siret: string;
  readonly slug: string;
  readonly name: string;
  readonly nameSource?: 'manual' | 'directory' | 'placeholder';
  readonly status: 'active' | 'suspended';
  readonly address?: { readonly street?: string; readonly postalCode?: string | null; readonly city?: string | null } | null;
  readonly legalCategory?: { readonly code: string; readonly label: string; readonly kind: PublicBodyKind } | null;
  readonly directoryWarnings: readonly DirectoryWarning[];
  readonly directoryCheckedAt?: string | null;
  readonly technicalContact?: Contact | null;
  readonly administrativeContact?: Contact | null;
  readonly connexionEnabled: boolean;
  readonly dataRetrievalEnabled: boolean;
  readonly dataRetrievalAtLogin: boolean;
  readonly branding: Branding;
  readonly version: number;
}

export interface Habilitation {
  readonly product: HabilitationProduct;
  readonly state: HabilitationState;
  readonly stateLabel: string;
  readonly dataPassId?: string | null;
  readonly scopes: readonly string[];
  readonly modalities: readonly string[];
  readonly submittedAt?: string | null;
  readonly validatedAt?: string | null;
  readonly refusedAt?: string | null;
  readonly updatedAt?: string;
  readonly version: number;
}

export interface HabilitationHistoryEntry {
  readonly id: string;
  readonly fromState: HabilitationState | null;
  readonly toState: HabilitationState;
  readonly source: 'manual' | 'webhook';
  readonly actorType: string;
  readonly dataPassEvent?: string | null;
  readonly note?: string | null;
  readonly occurredAt: string;
}

export interface SecretState {
  readonly status: 'ok' | 'undecryptable';
  readonly masked: string | null;
}

/** The environments are the domain's (libs/domain/src/environments.ts), never re-typed here. */
export type { ApiParticulierEnvironment, FranceConnectEnvironment, LiveEnvironmentProduct };

export interface FranceConnectCredential {
  readonly environment: FranceConnectEnvironment;
  readonly clientId: string;
  readonly clientSecret: SecretState;
  readonly signingAlgorithm: 'ES256' | 'RS256';
  readonly issuerUrl: string | null;
  /** Pointed at a stand-in issuer (test platforms only). */
  readonly standIn: boolean;
  readonly updatedAt: string;
  readonly version: number;
}

export interface ApiParticulierCredential {
  readonly environment: ApiParticulierEnvironment;
  readonly token: SecretState;
  /** Pointed at a stand-in URL (test platforms only). */
  readonly standIn: boolean;
  readonly receivedOn: string;
  readonly expiresOn: string;
  readonly expiresInDays: number;
  readonly expiryWarning: boolean;
  readonly expired: boolean;
  readonly updatedAt: string;
  readonly version: number;
}

export interface Credentials {
  readonly franceconnect: readonly FranceConnectCredential[];
  readonly apiParticulier: readonly ApiParticulierCredential[];
}

/** The live environment of a product: who chose it, when and why (`chosenBy` null: the platform). */
export interface LiveChoice {
  readonly environment: string;
  readonly label: string;
  readonly production: boolean;
  readonly chosenAt: string;
  readonly chosenBy: { readonly id: string; readonly name: string } | null;
  readonly reason: string | null;
  readonly version: number;
}

/** One environment of a product: its credentials, its last success, whether it may be chosen now. */
export interface EnvironmentOption {
  readonly environment: string;
  readonly label: string;
  readonly production: boolean;
  readonly live: boolean;
  readonly credentials: 'missing' | 'unusable' | 'usable';
  readonly problem: string | null;
  readonly standIn: boolean;
  readonly lastSuccessAt: string | null;
  readonly switch: { readonly allowed: boolean; readonly code: string | null; readonly message: string | null; readonly reasonRequired: boolean };
}

export interface ProductEnvironments {
  readonly product: LiveEnvironmentProduct;
  readonly live: LiveChoice | null;
  /** A live environment is chosen and its credentials are usable. */
  readonly usable: boolean;
  /** What staff must fix when not usable (French). */
  readonly problem: string | null;
  readonly environments: readonly EnvironmentOption[];
}

export interface EnvironmentsView {
  readonly stage: OnboardingStage;
  readonly stageLabel: string;
  readonly franceconnect: ProductEnvironments;
  readonly apiParticulier: ProductEnvironments;
}

export type LiveCheckStep = 'credentials' | 'discovery' | 'jwks' | 'client_id' | 'client_secret';

/** « Tester la configuration »: the verdict on the live FranceConnect environment, step by step. */
export interface LiveCheck {
  readonly environment: string;
  readonly label: string;
  readonly ok: boolean;
  readonly summary: string;
  readonly checkedAt: string;
  readonly steps: readonly { readonly step: LiveCheckStep; readonly status: 'ok' | 'failed' | 'skipped'; readonly detail: string; readonly durationMs: number | null }[];
}

export interface FranceConnectUris {
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
}

export interface PipelineView {
  readonly stages: readonly { readonly stage: OnboardingStage; readonly label: string; readonly count: number; readonly overdue: number }[];
  readonly total: number;
  readonly overdue: number;
}

export interface UserRef {
  readonly id: string;
  readonly displayName: string;
}

export interface CaseListItem {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly siret: string;
  readonly stage: OnboardingStage;
  readonly stageLabel: string;
  readonly waitingWorkingDays: number;
  readonly deadline: string | null;
  readonly overdue: boolean;
  readonly assignee: UserRef | null;
  /** Live environments chosen by staff (null: none yet). */
  readonly liveEnvironments: { readonly franceconnect: string | null; readonly apiParticulier: string | null };
}

export type Party = 'client' | 'editor' | 'datapass' | 'franceconnect' | 'api_particulier';

export interface TransitionReason {
  readonly code: string;
  readonly message: string;
  readonly itemIds?: readonly string[];
}

export interface CaseView {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly siret: string;
  readonly stage: OnboardingStage;
  readonly stageLabel: string;
  readonly stageEnteredAt: string;
  readonly assignee: UserRef | null;
  readonly dsFileNumber: string | null;
  readonly modes: { readonly connexion: boolean; readonly dataRetrieval: boolean };
  readonly habilitations: { readonly franceconnect: HabilitationState | null; readonly api_particulier: HabilitationState | null };
  readonly timing: {
    readonly workingDays: number;
    readonly slaWorkingDays: number | null;
    readonly deadline: string | null;
    readonly overdue: boolean;
    readonly overdueBy: number;
    readonly waitingOn: Party;
    readonly waitingOnLabel: string;
    readonly message: string;
  };
  readonly progress: {
    readonly summary: string;
    readonly done: readonly string[];
    readonly nextActions: readonly { readonly actor: Party; readonly actorLabel: string; readonly text: string }[];
    readonly blockers: readonly TransitionReason[];
  };
  readonly availableTransitions: readonly { readonly to: OnboardingStage; readonly label: string; readonly kind: 'advance' | 'skip' | 'rollback'; readonly reasonRequired: boolean }[];
  readonly version: number;
}

export interface CaseHistoryEntry {
  readonly id: string;
  readonly fromStage: OnboardingStage | null;
  readonly toStage: OnboardingStage;
  readonly toStageLabel: string;
  readonly kind: 'opened' | 'advance' | 'skip' | 'rollback';
  readonly reason: string | null;
  readonly actor: { readonly type: string; readonly displayName: string | null };
  readonly occurredAt: string;
}

export interface CommentView {
  readonly id: string;
  readonly author: { readonly displayName: string };
  readonly body: string;
  readonly createdAt: string;
}

export interface ChecklistItem {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly modes: readonly ('C' | 'D')[];
  readonly checks: readonly ('browser' | 'protocol' | 'manual')[];
  readonly conditional: boolean;
  readonly status: ItemStatus;
  readonly statusLabel: string;
  readonly source: 'manual' | 'robot';
  readonly evidence: { readonly text: string | null; readonly url: string | null };
  readonly checkedBy: UserRef | null;
  readonly checkedAt: string | null;
  readonly blocking: { readonly cause: 'failed' | 'todo' | 'not_applicable_not_allowed'; readonly message: string } | null;
}

export interface Checklist {
  readonly modes: { readonly connexion: boolean; readonly dataRetrieval: boolean };
  readonly items: readonly ChecklistItem[];
  readonly summary: {
    readonly total: number;
    readonly counts: Readonly<Record<ItemStatus, number>>;
    readonly readyForQualification: boolean;
  };
}

export interface AuditEntry {
  readonly id: string;
  readonly occurredAt: string;
  readonly actor: { readonly type: string; readonly displayName: string | null };
  readonly action: string;
  readonly changes: Readonly<Record<string, unknown>>;
}

export type { CallModality };

/** One API Particulier call of the log (never the citizen's data). */
export interface ApiParticulierCall {
  readonly id: string;
  readonly environment: ApiParticulierEnvironment;
  readonly environmentLabel: string;
  readonly apiLabel: string;
  readonly modality: 'pivot_identity' | 'ine' | 'france_connect';
  readonly origin: 'citizen' | 'batch' | 'staff';
  readonly triggeredByLabel: string;
  readonly batchLine: number | null;
  readonly dossierReference: string | null;
  readonly status: 'queued' | 'dispatched' | 'running' | 'retrying' | 'succeeded' | 'failed';
  readonly httpStatus: number | null;
  readonly errorCode: string | null;
  readonly errorLabel: string | null;
  readonly latencyMs: number | null;
  readonly attempts: number;
  readonly rateLimited: number;
  readonly queuedAt: string;
  readonly finishedAt: string | null;
}

export interface ApiParticulierBatch {
  readonly id: string;
  readonly apiLabel: string;
  readonly modality: 'pivot_identity' | 'ine';
  /** The live environment when it was sent (null: sent before environments were recorded). */
  readonly environment: ApiParticulierEnvironment | null;
  readonly environmentLabel: string | null;
  readonly fileName: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly totalLines: number;
  readonly acceptedLines: number;
  readonly rejectedLines: number;
  readonly progress: { readonly queued: number; readonly inProgress: number; readonly succeeded: number; readonly failed: number; readonly done: boolean };
}

export interface ApiParticulierBatchCreated {
  readonly id: string;
  readonly totalLines: number;
  readonly acceptedLines: number;
  readonly rejectedLines: number;
  readonly rejections: readonly { readonly line: number; readonly reference: string | null; readonly reasons: readonly string[] }[];
}

/** What the company directory says of a SIRET before a client is created from it. */
export interface DirectoryPreview {
  readonly siret: string;
  readonly available: boolean;
  readonly found: boolean;
  readonly name: string | null;
  readonly address: { readonly street?: string; readonly postalCode: string | null; readonly city: string | null } | null;
  readonly legalCategoryLabel: string | null;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly existingTenant: { readonly id: string; readonly name: string } | null;
}

/** One run of the qualification robot (staff only). */
export interface RobotRun {
  readonly id: string;
  readonly trigger: RobotRunTrigger;
  readonly triggerLabel: string;
  readonly reason: string | null;
  readonly requestedBy: { readonly displayName: string } | null;
  readonly status: RobotRunStatus;
  readonly statusLabel: string;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string | null };
  readonly liveEnvironment: FranceConnectEnvironment | null;
  readonly loginEnvironment: FranceConnectEnvironment | null;
  readonly counts: Readonly<Record<RobotVerdict, number>> | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly requestedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
}

/** What the robot concluded on one prerequisite, with what it measured. */
export interface RobotItem {
  readonly id: string;
  readonly title: string;
  readonly verdict: RobotVerdict;
  readonly verdictLabel: string;
  readonly summary: string;
  readonly findings: readonly string[];
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly environment: FranceConnectEnvironment | null;
  readonly screenshots: readonly { readonly name: string; readonly label: string }[];
  readonly previousVerdict: RobotVerdict | null;
  readonly changed: boolean;
  readonly person: { readonly status: ItemStatus; readonly disagrees: boolean } | null;
}

export interface RobotRunDetail extends RobotRun {
  readonly items: readonly RobotItem[];
}

export interface RobotOverview {
  readonly pending: RobotRun | null;
  readonly lastCompleted: RobotRunDetail | null;
  readonly lastFailure: RobotRun | null;
  readonly blocking: readonly string[];
}
