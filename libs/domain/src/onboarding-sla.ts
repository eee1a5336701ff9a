/**
 * How long a case may stay at each stage before the console flags it as overdue, in French working
 * days (national holidays, no Alsace-Moselle extras: the parties are national bodies and the editor).
 *
 * Waiting time = {@link workingDaysBetween}(enteredAt, now): working days strictly after the Paris
 * date the stage was entered, up to and including today's Paris date. A case is overdue when that
 * count is **strictly greater** than the stage's SLA; the deadline is the last day still on time,
 * `addWorkingDays(enteredAt, sla)`.
 *
 * Only the production SLA is an official figure (« Après 7 jours ouvrés, le contact technique
 * reçoit les secrets », DINUM deck); the others are the platform's own targets, to be tuned with
 * experience. Callers may pass their own table.
 */
import { ONBOARDING_STAGE_LABELS, type OnboardingStage, type Party } from './onboarding.js';
import { addWorkingDays, calendarDaysBetween, workingDaysBetween, type CalendarDate, type DateInput } from './working-days.js';

/** How the timing message names the party the case waits for. */
const WAITING_ON_PHRASES: Readonly<Record<Party, string>> = {
  client: 'du client',
  editor: 'de l’éditeur',
  datapass: 'de DataPass',
  franceconnect: 'de FranceConnect',
  api_particulier: 'd’API Particulier',
};

export interface StageSla {
  /** Maximum working days at this stage; `null` = no limit (final stage). */
  readonly workingDays: number | null;
  /** Who must act for the case to leave the stage. */
  readonly waitingOn: Party;
  /** Where the figure comes from (French, shown to staff). */
  readonly basis: string;
}

export const STAGE_SLAS: Readonly<Record<OnboardingStage, StageSla>> = {
  created: {
    workingDays: 10,
    waitingOn: 'client',
    basis: 'Objectif de la plateforme : demandes DataPass déposées sous deux semaines.',
  },
  habilitations_requested: {
    workingDays: 15,
    waitingOn: 'datapass',
    basis: 'Objectif indicatif : DataPass ne publie pas de délai d’instruction.',
  },
  habilitations_validated: {
    workingDays: 5,
    waitingOn: 'editor',
    basis: 'Objectif de la plateforme : identifiants d’intégration créés dans l’espace partenaire sous une semaine.',
  },
  integration_credentials_received: {
    workingDays: 5,
    waitingOn: 'editor',
    basis: 'Objectif de la plateforme : configuration de l’intégration et début de recette sous une semaine.',
  },
  internal_check: {
    workingDays: 10,
    waitingOn: 'editor',
    basis: 'Objectif de la plateforme : recette des 22 prérequis sous deux semaines.',
  },
  qualification_requested: {
    workingDays: 15,
    waitingOn: 'franceconnect',
    basis: 'Objectif indicatif : FranceConnect ne publie pas de délai de qualification.',
  },
  changes_requested: {
    workingDays: 10,
    waitingOn: 'editor',
    basis: 'Objectif de la plateforme : corrections apportées sous deux semaines.',
  },
  qualified: {
    workingDays: 5,
    waitingOn: 'client',
    basis: 'Objectif de la plateforme : mise en production demandée sous une semaine.',
  },
  production_requested: {
    workingDays: 7,
    waitingOn: 'franceconnect',
    basis: 'Délai annoncé par FranceConnect : secrets de production transmis après 7 jours ouvrés.',
  },
  production_credentials_received: {
    workingDays: 3,
    waitingOn: 'editor',
    basis: 'Objectif de la plateforme : ouverture du service sous trois jours ouvrés.',
  },
  live: { workingDays: null, waitingOn: 'editor', basis: 'Étape finale : aucun délai.' },
};

export interface Waiting {
  readonly workingDays: number;
  readonly calendarDays: number;
}

/** Time spent since `enteredAt`, in working days (see module doc) and calendar days (Paris dates). */
export function computeWaiting(enteredAt: DateInput, now: DateInput): Waiting {
  return { workingDays: workingDaysBetween(enteredAt, now), calendarDays: calendarDaysBetween(enteredAt, now) };
}

/** Last Paris calendar date on which the case is still on time, `null` without SLA. */
export function stageDeadline(
  stage: OnboardingStage,
  enteredAt: DateInput,
  slas: Readonly<Record<OnboardingStage, StageSla>> = STAGE_SLAS,
): CalendarDate | null {
  const limit = slas[stage].workingDays;
  return limit === null ? null : addWorkingDays(enteredAt, limit);
}

/** More working days have elapsed since `enteredAt` than the stage's SLA allows. */
export function isOverdue(
  stage: OnboardingStage,
  enteredAt: DateInput,
  now: DateInput,
  slas: Readonly<Record<OnboardingStage, StageSla>> = STAGE_SLAS,
): boolean {
  const limit = slas[stage].workingDays;
  return limit !== null && workingDaysBetween(enteredAt, now) > limit;
}

export interface StageTiming extends Waiting {
  readonly stage: OnboardingStage;
  readonly slaWorkingDays: number | null;
  readonly deadline: CalendarDate | null;
  readonly overdue: boolean;
  /** Working days beyond the SLA (0 when on time). */
  readonly overdueBy: number;
  readonly waitingOn: Party;
  /** French one-liner, e.g. « En attente de FranceConnect depuis 9 jours ouvrés (délai : 7) : en retard. ». */
  readonly message: string;
}

/** Everything the console shows about the time spent at the current stage. */
export function stageTiming(
  stage: OnboardingStage,
  enteredAt: DateInput,
  now: DateInput,
  slas: Readonly<Record<OnboardingStage, StageSla>> = STAGE_SLAS,
): StageTiming {
  const sla = slas[stage];
  const waiting = computeWaiting(enteredAt, now);
  const overdueBy = sla.workingDays === null ? 0 : Math.max(0, waiting.workingDays - sla.workingDays);
  const days = `${waiting.workingDays} jour${waiting.workingDays > 1 ? 's' : ''} ouvré${waiting.workingDays > 1 ? 's' : ''}`;
  const message =
    sla.workingDays === null
      ? `${ONBOARDING_STAGE_LABELS[stage]} depuis ${days}.`
      : `En attente ${WAITING_ON_PHRASES[sla.waitingOn]} depuis ${days} (délai : ${sla.workingDays})${overdueBy > 0 ? ' : en retard' : ''}.`;
  return {
    stage,
    ...waiting,
    slaWorkingDays: sla.workingDays,
    deadline: stageDeadline(stage, enteredAt, slas),
    overdue: overdueBy > 0,
    overdueBy,
    waitingOn: sla.waitingOn,
    message,
  };
}
