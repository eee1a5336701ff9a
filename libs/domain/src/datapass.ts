/**
 * DataPass habilitations (https://datapass.api.gouv.fr): the authorisation requests a public body
 * files for FranceConnect and API Particulier, their states, and how DataPass webhook events map
 * to them. Sources: DataPass' webhook and lifecycle documentation
 * (https://github.com/etalab/data_pass/blob/develop/docs/webhooks.md and
 * https://github.com/etalab/data_pass/blob/develop/docs/metier/lifecycle_documentation.md),
 * summarised in docs/domain.md §3.
 *
 * The editor usually cannot read its clients' DataPass requests (API and webhooks need a DataPass
 * "developer" role), so staff record the state by hand: {@link checkHabilitationStateChange} says
 * which manual updates make sense. Webhooks, when available, go through {@link stateForWebhookEvent}.
 */

/** Products for which a client needs a DataPass habilitation. */
export const HABILITATION_PRODUCTS = ['franceconnect', 'api_particulier'] as const;
export type HabilitationProduct = (typeof HABILITATION_PRODUCTS)[number];

export const HABILITATION_PRODUCT_LABELS: Readonly<Record<HabilitationProduct, string>> = {
  franceconnect: 'FranceConnect',
  api_particulier: 'API Particulier',
};

/** DataPass definition id of each product (`model_type` is `authorization_request/<id>`). */
export const DATAPASS_DEFINITION_IDS: Readonly<Record<HabilitationProduct, string>> = {
  franceconnect: 'france_connect',
  api_particulier: 'api_particulier',
};

/** States of a DataPass request (« demande »), as DataPass names them. */
export const HABILITATION_STATES = [
  'draft',
  'submitted',
  'changes_requested',
  'validated',
  'refused',
  'revoked',
  'archived',
] as const;
export type HabilitationState = (typeof HABILITATION_STATES)[number];

/** How a habilitation's state changed: recorded by staff, or by a DataPass webhook. */
export const HABILITATION_CHANGE_SOURCES = ['manual', 'webhook'] as const;
export type HabilitationChangeSource = (typeof HABILITATION_CHANGE_SOURCES)[number];

/** FranceConnect v2 identity scopes a FranceConnect habilitation may grant (DataPass `france_connect` definition). */
export const FRANCECONNECT_SCOPES = [
  'openid',
  'identite_pivot',
  'given_name',
  'family_name',
  'birthdate',
  'gender',
  'birthplace',
  'birthcountry',
  'preferred_username',
  'email',
] as const;

export type FranceConnectScope = (typeof FRANCECONNECT_SCOPES)[number];

/** What each FranceConnect scope gives, in French (the console's habilitation form and lists). */
export const FRANCECONNECT_SCOPE_LABELS: Readonly<Record<FranceConnectScope, string>> = {
  openid: 'Identifiant technique (openid)',
  identite_pivot: 'Identité pivot (nom, prénoms, sexe, date et lieu de naissance)',
  given_name: 'Prénoms',
  family_name: 'Nom de naissance',
  birthdate: 'Date de naissance',
  gender: 'Sexe',
  birthplace: 'Commune de naissance',
  birthcountry: 'Pays de naissance',
  preferred_username: 'Nom d’usage',
  email: 'Adresse électronique',
};

export const HABILITATION_STATE_LABELS: Readonly<Record<HabilitationState, string>> = {
  draft: 'Brouillon',
  submitted: 'Soumise, en cours d’instruction',
  changes_requested: 'Modifications demandées',
  validated: 'Validée',
  refused: 'Refusée',
  revoked: 'Révoquée',
  archived: 'Archivée',
};

export function isHabilitationProduct(value: unknown): value is HabilitationProduct {
  return typeof value === 'string' && (HABILITATION_PRODUCTS as readonly string[]).includes(value);
}

export function isHabilitationState(value: unknown): value is HabilitationState {
  return typeof value === 'string' && (HABILITATION_STATES as readonly string[]).includes(value);
}

/** A request that has left the applicant's hands: submitted, being corrected, or validated. */
export function isHabilitationFiled(state: HabilitationState | null | undefined): boolean {
  return state === 'submitted' || state === 'changes_requested' || state === 'validated';
}

/** Final states after which a new DataPass request (a new number) is needed. */
export const CLOSED_HABILITATION_STATES: readonly HabilitationState[] = ['refused', 'revoked', 'archived'];

/**
 * Manual state changes staff may record, mirroring the DataPass lifecycle:
 * - `draft` → `submitted` (the client submitted), `archived` (abandoned draft);
 * - `submitted` → `changes_requested`, `validated`, `refused` (instructor's decision);
 * - `changes_requested` → `submitted` (corrected and resubmitted), `archived`;
 * - `validated` → `revoked`. A DataPass « réouverture » (update of a validated habilitation) keeps
 *   the habilitation valid, so it is not recorded as a state change here;
 * - `refused` / `revoked` / `archived` → `draft` or `submitted`: only as a **new** request, so the
 *   DataPass request number must change (see {@link HabilitationStateChange.newRequest}).
 * Recording a habilitation for the first time (`from = null`) accepts any state: a client may
 * arrive with an already validated habilitation.
 */
export const HABILITATION_MANUAL_TRANSITIONS: Readonly<Record<HabilitationState, readonly HabilitationState[]>> = {
  draft: ['submitted', 'archived'],
  submitted: ['changes_requested', 'validated', 'refused'],
  changes_requested: ['submitted', 'archived'],
  validated: ['revoked'],
  refused: ['draft', 'submitted'],
  revoked: ['draft', 'submitted'],
  archived: ['draft', 'submitted'],
};

export type HabilitationStateChange =
  | {
      readonly ok: true;
      /** `true` when the change means a new DataPass request replaced a closed one. */
      readonly newRequest: boolean;
    }
  | { readonly ok: false; readonly message: string };

/** Whether staff may record `from` → `to` by hand; the refusal carries a French message. */
export function checkHabilitationStateChange(
  from: HabilitationState | null,
  to: HabilitationState,
): HabilitationStateChange {
  if (from === null) return { ok: true, newRequest: false };
  if (from === to) {
    return { ok: false, message: `L’habilitation est déjà dans l’état « ${HABILITATION_STATE_LABELS[to]} ».` };
  }
  if (!HABILITATION_MANUAL_TRANSITIONS[from].includes(to)) {
    return {
      ok: false,
      message: `Une habilitation « ${HABILITATION_STATE_LABELS[from]} » ne peut pas passer à l’état « ${HABILITATION_STATE_LABELS[to]} ».`,
    };
  }
  return { ok: true, newRequest: CLOSED_HABILITATION_STATES.includes(from) };
}

/** Every event DataPass sends to webhooks (`start_next_stage`/`cancel_next_stage` are never sent). */
export const DATAPASS_WEBHOOK_EVENTS = [
  'create',
  'update',
  'create_by_api',
  'update_by_api',
  'submit',
  'approve',
  'refuse',
  'revoke',
  'request_changes',
  'archive',
  'reopen',
  'cancel_reopening',
  'transfer',
] as const;
export type DataPassWebhookEvent = (typeof DATAPASS_WEBHOOK_EVENTS)[number];

const EVENT_STATES: Readonly<Partial<Record<DataPassWebhookEvent, HabilitationState>>> = {
  submit: 'submitted',
  approve: 'validated',
  refuse: 'refused',
  request_changes: 'changes_requested',
  archive: 'archived',
  revoke: 'revoked',
};

export function isDataPassWebhookEvent(value: unknown): value is DataPassWebhookEvent {
  return typeof value === 'string' && (DATAPASS_WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * The request state a webhook event leads to, or `null` for events that do not change the state
 * we track (`create`, `update`, `reopen`, `transfer`...) and for unknown events.
 */
export function stateForWebhookEvent(event: string): HabilitationState | null {
  return isDataPassWebhookEvent(event) ? (EVENT_STATES[event] ?? null) : null;
}

/** Product of a webhook `model_type` (`authorization_request/api_particulier`), or `null`. */
export function productForModelType(modelType: string): HabilitationProduct | null {
  const prefix = 'authorization_request/';
  if (!modelType.startsWith(prefix)) return null;
  const definition = modelType.slice(prefix.length);
  for (const product of HABILITATION_PRODUCTS) {
    if (DATAPASS_DEFINITION_IDS[product] === definition) return product;
  }
  return null;
}
