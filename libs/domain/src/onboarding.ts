/**
 * The onboarding case of one client (a public body) of the editor: from its creation on the
 * platform to its FranceConnect (and API Particulier) service being live.
 *
 * Main path, in order:
 * `created` → `habilitations_requested` → `habilitations_validated` →
 * `integration_credentials_received` → `internal_check` → `qualification_requested` → `qualified` →
 * `production_requested` → `production_credentials_received` → `live`,
 * with a side stage `changes_requested` (FranceConnect returned the qualification with changes):
 * `qualification_requested` → `changes_requested` → `internal_check` (re-test) or straight back to
 * `qualification_requested` (resubmit).
 *
 * Moves ({@link canTransition}) are of three kinds:
 * - `advance`: one of the edges of {@link STAGE_TRANSITIONS}, by an allowed actor, provided the
 *   target stage's guards ({@link stageGuards}) hold on the case snapshot;
 * - `skip`: staff jump forward along the main path over several stages, allowed when every stage
 *   passed through could have been entered (its guards hold) — e.g. a client that arrives with
 *   validated habilitations goes from `created` to `habilitations_validated`. The qualification
 *   stages (`internal_check`, `qualification_requested`, `qualified`) can only be passed through,
 *   and `qualified` only jumped to, when the editor's software is already qualified by FranceConnect
 *   (`editorQualified`): qualification is obtained once per editor, not per client;
 * - `rollback`: staff move back to **any** earlier stage (in {@link ONBOARDING_STAGES} order), with
 *   a mandatory reason (e.g. a habilitation was revoked, a mistake was recorded). Guards do not apply.
 *
 * Everything here is a pure function of an {@link OnboardingSnapshot}, which the API builds from its
 * records: no I/O, no clock.
 */
import { AppError, validationError } from '@fcplat/common';
import {
  HABILITATION_PRODUCT_LABELS,
  HABILITATION_STATE_LABELS,
  isHabilitationFiled,
  type HabilitationProduct,
  type HabilitationState,
} from './datapass.js';
import { buildChecklist, checklistSummary, enabledModes, type ChecklistEntry, type QualificationModes } from './qualification.js';

export const ONBOARDING_STAGES = [
  'created',
  'habilitations_requested',
  'habilitations_validated',
  'integration_credentials_received',
  'internal_check',
  'qualification_requested',
  'changes_requested',
  'qualified',
  'production_requested',
  'production_credentials_received',
  'live',
] as const;
export type OnboardingStage = (typeof ONBOARDING_STAGES)[number];

export const ONBOARDING_STAGE_LABELS: Readonly<Record<OnboardingStage, string>> = {
  created: 'Client créé',
  habilitations_requested: 'Habilitations demandées',
  habilitations_validated: 'Habilitations validées',
  integration_credentials_received: 'Identifiants d’intégration reçus',
  internal_check: 'Recette interne',
  qualification_requested: 'Qualification demandée',
  changes_requested: 'Corrections demandées par FranceConnect',
  qualified: 'Qualifié par FranceConnect',
  production_requested: 'Mise en production demandée',
  production_credentials_received: 'Identifiants de production reçus',
  live: 'En production',
};

/** The stages every case goes through, in order (`changes_requested` is a detour). */
export const MAIN_PATH: readonly OnboardingStage[] = ONBOARDING_STAGES.filter((s) => s !== 'changes_requested');

/** Stages that belong to FranceConnect's qualification of the editor's software. */
export const QUALIFICATION_STAGES: readonly OnboardingStage[] = [
  'internal_check',
  'qualification_requested',
  'changes_requested',
  'qualified',
];

export function isOnboardingStage(value: unknown): value is OnboardingStage {
  return typeof value === 'string' && (ONBOARDING_STAGES as readonly string[]).includes(value);
}

/** Who performs a move: the editor's staff, the client's administrator, or an automated job. */
export type OnboardingActor = 'staff' | 'client_admin' | 'system';

/**
 * Who may read a comment of an onboarding case: `internal`, a note of the editor's team (staff
 * only, never shown to the client); `client`, a message the client's administrators read too.
 * Staff choose explicitly; a client administrator's comments are always `client`. Comments written
 * before the choice existed are `internal`.
 */
export const COMMENT_VISIBILITIES = ['internal', 'client'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

export const COMMENT_VISIBILITY_LABELS: Readonly<Record<CommentVisibility, string>> = {
  internal: 'Note interne',
  client: 'Message au client',
};

export const ONBOARDING_ACTOR_LABELS: Readonly<Record<OnboardingActor, string>> = {
  staff: 'l’équipe de l’éditeur',
  client_admin: 'l’administrateur du client',
  system: 'la plateforme (automatiquement)',
};

export type Environment = 'sandbox' | 'production';

/** Who has to act for a case to progress (shown to the client administrator). */
export type Party = 'client' | 'editor' | 'datapass' | 'franceconnect' | 'api_particulier';

export const PARTY_LABELS: Readonly<Record<Party, string>> = {
  client: 'Votre organisme',
  editor: 'Votre éditeur',
  datapass: 'DataPass',
  franceconnect: 'FranceConnect',
  api_particulier: 'API Particulier',
};

/** The same parties as the editor's staff name them (the console's pipeline and a case seen by staff). */
export const STAFF_PARTY_LABELS: Readonly<Record<Party, string>> = {
  client: 'Le client',
  editor: 'L’équipe de l’éditeur',
  datapass: 'DataPass',
  franceconnect: 'FranceConnect',
  api_particulier: 'API Particulier',
};

/** Who has to act, in the words of whoever reads it: the client's administrator, or the editor's staff. */
export function partyLabel(party: Party, reader: 'client' | 'staff'): string {
  return (reader === 'staff' ? STAFF_PARTY_LABELS : PARTY_LABELS)[party];
}

/** What the guards look at. Built by the API from its records at the time of the move. */
export interface OnboardingSnapshot {
  readonly stage: OnboardingStage;
  /** FranceConnect uses of the client's service: login (C) and/or data retrieval (D). */
  readonly modes: QualificationModes;
  /** Last known DataPass state per product; absent or `null` = no request recorded. */
  readonly habilitations: Readonly<Partial<Record<HabilitationProduct, HabilitationState | null>>>;
  /** Which secrets are stored, per environment. */
  readonly credentials: {
    /** FranceConnect client (client_id + client_secret). */
    readonly franceconnect: Readonly<Partial<Record<Environment, boolean>>>;
    /** API Particulier token. */
    readonly apiParticulier: Readonly<Partial<Record<Environment, boolean>>>;
  };
  /** Recorded checklist entries (missing applicable items count as `todo`). */
  readonly checklist: readonly ChecklistEntry[];
  /** Démarches Simplifiées file number of the qualification request. */
  readonly dsFileNumber?: string | null;
  /** The editor's software is already qualified by FranceConnect (for these modes). */
  readonly editorQualified?: boolean;
  /**
   * Items the qualification robot found failing in its last completed run (whatever a person
   * recorded): a qualification request waits until a new run proves them.
   */
  readonly robotFailures?: readonly string[];
}

export interface TransitionContext {
  readonly actor: OnboardingActor;
  /** Why; mandatory for a rollback, recorded in the audit trail otherwise. */
  readonly reason?: string;
}

export type TransitionReasonCode =
  | 'same_stage'
  | 'transition_not_allowed'
  | 'actor_not_allowed'
  | 'reason_required'
  | 'modes_missing'
  | 'franceconnect_habilitation_not_filed'
  | 'api_particulier_habilitation_not_filed'
  | 'franceconnect_habilitation_not_validated'
  | 'api_particulier_habilitation_not_validated'
  | 'sandbox_credentials_missing'
  | 'production_credentials_missing'
  | 'api_particulier_token_missing'
  | 'checklist_failed'
  | 'checklist_incomplete'
  | 'robot_failed'
  | 'ds_file_number_missing'
  | 'ds_file_number_invalid'
  | 'editor_not_qualified';

export interface TransitionReason {
  readonly code: TransitionReasonCode;
  /** French sentence for the console. */
  readonly message: string;
  /** Checklist items concerned, for checklist reasons. */
  readonly itemIds?: readonly string[];
}

export type TransitionKind = 'advance' | 'skip' | 'rollback';

/**
 * How a move reads in a case's history. A declared edge is an `advance`, but not every edge goes
 * forward: FranceConnect returning the qualification for changes is a detour, and the request that
 * follows the corrections is a new request, not « the next stage ».
 */
export function moveLabel(kind: TransitionKind | 'opened', from: OnboardingStage | null, to: OnboardingStage): string {
  if (kind === 'opened') return 'Ouverture du dossier';
  if (kind === 'skip') return 'Étapes sautées';
  if (kind === 'rollback') return 'Retour en arrière';
  if (to === 'changes_requested') return 'Retour de FranceConnect pour corrections';
  if (from === 'changes_requested') return to === 'qualification_requested' ? 'Nouvelle demande de qualification après corrections' : 'Reprise après corrections';
  return 'Étape suivante';
}

export type TransitionCheck =
  | {
      readonly ok: true;
      readonly kind: TransitionKind;
      /** Stages jumped over by a `skip` (empty otherwise). */
      readonly passedThrough: readonly OnboardingStage[];
    }
  | { readonly ok: false; readonly reasons: readonly TransitionReason[] };

/**
 * Normal edges and who may take them. Client administrators declare what they did themselves
 * (DataPass requests filed, production requested in FranceConnect's partner space); the system
 * may record facts it observes (DataPass webhooks, credentials stored).
 */
export const STAGE_TRANSITIONS: Readonly<
  Record<OnboardingStage, Readonly<Partial<Record<OnboardingStage, readonly OnboardingActor[]>>>>
> = {
  created: { habilitations_requested: ['staff', 'client_admin', 'system'] },
  habilitations_requested: { habilitations_validated: ['staff', 'system'] },
  habilitations_validated: { integration_credentials_received: ['staff', 'system'] },
  integration_credentials_received: { internal_check: ['staff'] },
  internal_check: { qualification_requested: ['staff'] },
  qualification_requested: { qualified: ['staff'], changes_requested: ['staff'] },
  changes_requested: { internal_check: ['staff'], qualification_requested: ['staff'] },
  qualified: { production_requested: ['staff', 'client_admin'] },
  production_requested: { production_credentials_received: ['staff', 'system'] },
  production_credentials_received: { live: ['staff'] },
  live: {},
};

/** The stage a case normally moves to next, or `null` when live. */
export function nextMainStage(stage: OnboardingStage): OnboardingStage | null {
  if (stage === 'changes_requested') return 'qualification_requested';
  const index = MAIN_PATH.indexOf(stage);
  return MAIN_PATH[index + 1] ?? null;
}

const DS_FILE_NUMBER = /^[0-9]{1,12}$/;

/** A Démarches Simplifiées file (« dossier ») number: digits only. */
export function isValidDsFileNumber(value: string): boolean {
  return DS_FILE_NUMBER.test(value);
}

type Guard = (snapshot: OnboardingSnapshot) => TransitionReason[];

function stateText(state: HabilitationState | null | undefined): string {
  return state ? `état actuel : ${HABILITATION_STATE_LABELS[state].toLowerCase()}` : 'aucune demande enregistrée';
}

/** Products whose habilitation the case needs: FranceConnect always, API Particulier for data retrieval. */
export function requiredHabilitations(modes: QualificationModes): HabilitationProduct[] {
  return modes.dataRetrieval ? ['franceconnect', 'api_particulier'] : ['franceconnect'];
}

const modesChosen: Guard = (s) =>
  enabledModes(s.modes).length > 0
    ? []
    : [
        {
          code: 'modes_missing',
          message: 'Choisissez au moins un usage de FranceConnect : la connexion ou la récupération de données.',
        },
      ];

const habilitationsFiled: Guard = (s) =>
  requiredHabilitations(s.modes)
    .filter((product) => !isHabilitationFiled(s.habilitations[product]))
    .map((product) => ({
      code: product === 'franceconnect' ? 'franceconnect_habilitation_not_filed' : 'api_particulier_habilitation_not_filed',
      message: `La demande d’habilitation ${HABILITATION_PRODUCT_LABELS[product]} n’a pas été soumise sur DataPass (${stateText(s.habilitations[product])}).`,
    }));

const habilitationsValidated: Guard = (s) =>
  requiredHabilitations(s.modes)
    .filter((product) => s.habilitations[product] !== 'validated')
    .map((product) => ({
      code:
        product === 'franceconnect'
          ? 'franceconnect_habilitation_not_validated'
          : 'api_particulier_habilitation_not_validated',
      message: `L’habilitation ${HABILITATION_PRODUCT_LABELS[product]} n’est pas validée sur DataPass (${stateText(s.habilitations[product])}).`,
    }));

const sandboxCredentials: Guard = (s) =>
  s.credentials.franceconnect.sandbox
    ? []
    : [
        {
          code: 'sandbox_credentials_missing',
          message: 'Les identifiants FranceConnect d’intégration (bac à sable) ne sont pas enregistrés.',
        },
      ];

const productionCredentials: Guard = (s) =>
  s.credentials.franceconnect.production
    ? []
    : [
        {
          code: 'production_credentials_missing',
          message: 'Les identifiants FranceConnect de production ne sont pas enregistrés.',
        },
      ];

const apiParticulierProductionToken: Guard = (s) =>
  !s.modes.dataRetrieval || s.credentials.apiParticulier.production
    ? []
    : [
        {
          code: 'api_particulier_token_missing',
          message: 'Le jeton API Particulier de production n’est pas enregistré.',
        },
      ];

function list(ids: readonly string[]): string {
  return ids.join(', ');
}

const checklistReady: Guard = (s) => {
  const summary = checklistSummary(buildChecklist(s.modes, s.checklist));
  const reasons: TransitionReason[] = [];
  if (summary.failed.length > 0) {
    reasons.push({
      code: 'checklist_failed',
      message: `Recette : ${summary.failed.length} prérequis non conforme(s) à corriger (${list(summary.failed)}).`,
      itemIds: summary.failed,
    });
  }
  const pending = summary.blocking.filter((b) => b.cause !== 'failed').map((b) => b.id);
  if (pending.length > 0) {
    reasons.push({
      code: 'checklist_incomplete',
      message: `Recette : ${pending.length} prérequis encore à vérifier ou déclarés sans objet à tort (${list(pending)}).`,
      itemIds: pending,
    });
  }
  return reasons;
};

const robotClear: Guard = (s) => {
  const failures = s.robotFailures ?? [];
  if (failures.length === 0) return [];
  return [
    {
      code: 'robot_failed',
      message: `Robot de qualification : ${failures.length} prérequis non conforme(s) lors de la dernière vérification (${list(failures)}). Corrigez puis relancez la vérification.`,
      itemIds: failures,
    },
  ];
};

const dsFileNumber: Guard = (s) => {
  const value = s.dsFileNumber ?? '';
  if (value.trim() === '') {
    return [
      {
        code: 'ds_file_number_missing',
        message: 'Indiquez le numéro du dossier de demande de qualification déposé sur Démarches Simplifiées.',
      },
    ];
  }
  if (!isValidDsFileNumber(value)) {
    return [
      {
        code: 'ds_file_number_invalid',
        message: 'Le numéro de dossier Démarches Simplifiées ne doit contenir que des chiffres.',
      },
    ];
  }
  return [];
};

/**
 * Conditions to **enter** each stage going forward (rollbacks ignore them):
 * - `habilitations_requested`: a mode is chosen; the FranceConnect request (and the API Particulier
 *   one for data retrieval) is at least submitted on DataPass;
 * - `habilitations_validated`: those habilitations are validated;
 * - `integration_credentials_received`, `internal_check`: validated habilitations + sandbox
 *   FranceConnect credentials stored;
 * - `qualification_requested`: the same, plus no applicable checklist item `failed`, none still
 *   `todo` (the whole recette precedes the request), none wrongly `not_applicable`, no item
 *   failing in the robot's last completed run (even where a person said « conforme »), and a
 *   Démarches Simplifiées file number;
 * - `changes_requested`: nothing (FranceConnect's decision);
 * - `qualified`, `production_requested`: habilitations still validated;
 * - `production_credentials_received`: + production FranceConnect credentials;
 * - `live`: + production FranceConnect credentials, and for data retrieval a validated API
 *   Particulier habilitation and a production API Particulier token.
 */
const STAGE_GUARDS: Readonly<Record<OnboardingStage, readonly Guard[]>> = {
  created: [],
  habilitations_requested: [modesChosen, habilitationsFiled],
  habilitations_validated: [modesChosen, habilitationsValidated],
  integration_credentials_received: [habilitationsValidated, sandboxCredentials],
  internal_check: [habilitationsValidated, sandboxCredentials],
  qualification_requested: [modesChosen, habilitationsValidated, sandboxCredentials, checklistReady, robotClear, dsFileNumber],
  changes_requested: [],
  qualified: [habilitationsValidated],
  production_requested: [habilitationsValidated],
  production_credentials_received: [habilitationsValidated, productionCredentials],
  live: [habilitationsValidated, productionCredentials, apiParticulierProductionToken],
};

/** Everything that currently prevents entering `stage` going forward (empty = allowed). */
export function stageGuards(snapshot: OnboardingSnapshot, stage: OnboardingStage): TransitionReason[] {
  return STAGE_GUARDS[stage].flatMap((guard) => guard(snapshot));
}

function fail(...reasons: TransitionReason[]): TransitionCheck {
  return { ok: false, reasons };
}

function actorsText(actors: readonly OnboardingActor[]): string {
  return actors.map((a) => ONBOARDING_ACTOR_LABELS[a]).join(' ou ');
}

function editorNotQualified(): TransitionReason {
  return {
    code: 'editor_not_qualified',
    message:
      'Les étapes de qualification ne peuvent être sautées que si le logiciel de l’éditeur est déjà qualifié par FranceConnect.',
  };
}

/** Whether the case may move from its current stage to `to`, and if not, every reason why. */
export function canTransition(
  snapshot: OnboardingSnapshot,
  to: OnboardingStage,
  context: TransitionContext,
): TransitionCheck {
  const from = snapshot.stage;
  const fromLabel = ONBOARDING_STAGE_LABELS[from];
  const toLabel = ONBOARDING_STAGE_LABELS[to];
  if (from === to) return fail({ code: 'same_stage', message: `Le dossier est déjà à l’étape « ${toLabel} ».` });

  const edgeActors = STAGE_TRANSITIONS[from][to];
  if (edgeActors) {
    if (!edgeActors.includes(context.actor)) {
      return fail({
        code: 'actor_not_allowed',
        message: `Le passage à « ${toLabel} » est réservé à ${actorsText(edgeActors)}.`,
      });
    }
    const reasons = stageGuards(snapshot, to);
    return reasons.length > 0 ? fail(...reasons) : { ok: true, kind: 'advance', passedThrough: [] };
  }

  if (ONBOARDING_STAGES.indexOf(to) < ONBOARDING_STAGES.indexOf(from)) {
    if (context.actor !== 'staff') {
      return fail({
        code: 'actor_not_allowed',
        message: `Le retour à une étape précédente est réservé à ${ONBOARDING_ACTOR_LABELS.staff}.`,
      });
    }
    if ((context.reason ?? '').trim() === '') {
      return fail({ code: 'reason_required', message: `Indiquez le motif du retour à l’étape « ${toLabel} ».` });
    }
    return { ok: true, kind: 'rollback', passedThrough: [] };
  }

  const fromIndex = MAIN_PATH.indexOf(from);
  const toIndex = MAIN_PATH.indexOf(to);
  if (fromIndex < 0 || toIndex < 0) {
    return fail({
      code: 'transition_not_allowed',
      message: `Le dossier ne peut pas passer de « ${fromLabel} » à « ${toLabel} ».`,
    });
  }
  if (context.actor !== 'staff') {
    return fail({
      code: 'actor_not_allowed',
      message: `Sauter des étapes est réservé à ${ONBOARDING_ACTOR_LABELS.staff}.`,
    });
  }
  const passedThrough = MAIN_PATH.slice(fromIndex + 1, toIndex);
  const reasons: TransitionReason[] = [];
  const seen = new Set<TransitionReasonCode>();
  const add = (reason: TransitionReason): void => {
    if (!seen.has(reason.code)) {
      seen.add(reason.code);
      reasons.push(reason);
    }
  };
  for (const stage of passedThrough) {
    if (QUALIFICATION_STAGES.includes(stage)) {
      if (!snapshot.editorQualified) add(editorNotQualified());
    } else {
      stageGuards(snapshot, stage).forEach(add);
    }
  }
  if (to === 'qualified' && !snapshot.editorQualified) add(editorNotQualified());
  stageGuards(snapshot, to).forEach(add);
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, kind: 'skip', passedThrough };
}

/**
 * Same as {@link canTransition}, throwing on refusal: `FORBIDDEN` for the wrong actor,
 * `VALIDATION_FAILED` (path `reason`) for a rollback without reason, `CONFLICT` otherwise, with
 * the reasons in `extensions.reasons`.
 */
export function assertTransition(
  snapshot: OnboardingSnapshot,
  to: OnboardingStage,
  context: TransitionContext,
): Extract<TransitionCheck, { ok: true }> {
  const check = canTransition(snapshot, to, context);
  if (check.ok) return check;
  const detail = check.reasons.map((r) => r.message).join(' ');
  const extensions = { reasons: check.reasons };
  if (check.reasons.some((r) => r.code === 'actor_not_allowed')) throw new AppError('FORBIDDEN', { detail, extensions });
  if (check.reasons.some((r) => r.code === 'reason_required')) {
    throw validationError([{ path: 'reason', message: check.reasons[0]?.message ?? detail }]);
  }
  throw new AppError('CONFLICT', { detail, extensions });
}
