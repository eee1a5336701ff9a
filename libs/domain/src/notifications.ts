/**
 * Notifications of the console's people (editor staff and client administrators): the kinds of
 * event, who may receive each kind, the default delivery of each, and the French words a
 * notification is read in (the console's list and the e-mails). Pure: the outbox, the fan-out and
 * the sending are in `libs/db` and `apps/worker` (docs/notifications.md).
 */
import { HABILITATION_PRODUCT_LABELS, HABILITATION_STATE_LABELS, type HabilitationProduct, type HabilitationState } from './datapass.js';
import { API_PARTICULIER_ENVIRONMENT_LABELS, type ApiParticulierEnvironment } from './environments.js';
import { ONBOARDING_STAGE_LABELS, partyLabel, type OnboardingStage, type Party } from './onboarding.js';
import { toDayNumber, type CalendarDate } from './working-days.js';

export const NOTIFICATION_KINDS = [
  'case_stage_changed',
  'comment_internal',
  'comment_client',
  'case_due_soon',
  'case_overdue',
  'habilitation_changed',
  'api_particulier_token_expiring',
  'robot_checks_failed',
  'batch_finished',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a person wants a kind: an e-mail at once, in the daily digest, or not at all (neither e-mail nor console). */
export const NOTIFICATION_MODES = ['immediate', 'digest', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

export const NOTIFICATION_MODE_LABELS: Readonly<Record<NotificationMode, string>> = {
  immediate: 'E-mail immédiat',
  digest: 'Récapitulatif quotidien',
  off: 'Désactivé',
};

/** Who reads a notification: the editor's staff, or a client's administrator. */
export type NotificationAudience = 'staff' | 'client';

export interface NotificationKindInfo {
  readonly label: string;
  /** One French sentence: what triggers it and who receives it. */
  readonly description: string;
  /** Immediate for what needs someone to act, the digest for what is good to know. */
  readonly defaultMode: Exclude<NotificationMode, 'off'>;
  /** Who may ever receive it (a client administrator never receives staff-internal kinds). */
  readonly audiences: readonly NotificationAudience[];
}

export const NOTIFICATION_KIND_INFO: Readonly<Record<NotificationKind, NotificationKindInfo>> = {
  case_stage_changed: {
    label: 'Changement d’étape d’un dossier',
    description: 'Un dossier d’intégration passe à une autre étape du parcours.',
    defaultMode: 'digest',
    audiences: ['staff', 'client'],
  },
  comment_internal: {
    label: 'Note interne',
    description: 'Un membre de l’équipe de l’éditeur ajoute une note interne sur un dossier (jamais visible du client).',
    defaultMode: 'immediate',
    audiences: ['staff'],
  },
  comment_client: {
    label: 'Message sur un dossier',
    description: 'Un message est échangé entre l’équipe de l’éditeur et le client sur le suivi du dossier.',
    defaultMode: 'immediate',
    audiences: ['staff', 'client'],
  },
  case_due_soon: {
    label: 'Échéance proche',
    description: 'Un dossier atteint bientôt le délai de son étape (2 jours ouvrés ou moins).',
    defaultMode: 'digest',
    audiences: ['staff', 'client'],
  },
  case_overdue: {
    label: 'Dossier en retard',
    description: 'Un dossier a dépassé le délai de son étape (en jours ouvrés).',
    defaultMode: 'immediate',
    audiences: ['staff', 'client'],
  },
  habilitation_changed: {
    label: 'Décision DataPass',
    description: 'L’état d’une habilitation DataPass change (dépôt, validation, refus, demande de modifications…).',
    defaultMode: 'immediate',
    audiences: ['staff', 'client'],
  },
  api_particulier_token_expiring: {
    label: 'Jeton API Particulier bientôt expiré',
    description: 'Un jeton API Particulier expire dans 30, 14 puis 3 jours.',
    defaultMode: 'immediate',
    audiences: ['staff', 'client'],
  },
  robot_checks_failed: {
    label: 'Échec du robot de qualification',
    description: 'Le robot de qualification trouve des prérequis non conformes, ou son passage échoue.',
    defaultMode: 'immediate',
    audiences: ['staff'],
  },
  batch_finished: {
    label: 'Lot API Particulier terminé',
    description: 'Tous les dossiers d’un lot déposé (fichier CSV) ont été traités.',
    defaultMode: 'immediate',
    audiences: ['client'],
  },
};

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

export function isNotificationMode(value: unknown): value is NotificationMode {
  return typeof value === 'string' && (NOTIFICATION_MODES as readonly string[]).includes(value);
}

/** The kinds a person of this audience may receive (and set a preference for). */
export function notificationKindsFor(audience: NotificationAudience): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((kind) => NOTIFICATION_KIND_INFO[kind].audiences.includes(audience));
}

/** The daily digest goes out from this hour, Paris time, with what came before it. */
export const NOTIFICATION_DIGEST_HOUR = 8;

/** Days before an API Particulier token's expiry at which its holders are told. */
export const TOKEN_EXPIRY_WARNING_DAYS = [30, 14, 3] as const;
export type TokenExpiryWarningDay = (typeof TOKEN_EXPIRY_WARNING_DAYS)[number];

/**
 * The warning threshold a token expiring on `expiresOn` has reached on `today` (both Paris
 * calendar dates): the smallest of 30, 14, 3 that is at least the days left, or null (more than
 * 30 days left, or already expired).
 */
export function tokenExpiryThreshold(expiresOn: CalendarDate, today: CalendarDate): TokenExpiryWarningDay | null {
  const daysLeft = toDayNumber(expiresOn) - toDayNumber(today);
  if (daysLeft < 0) return null;
  let reached: TokenExpiryWarningDay | null = null;
  for (const threshold of TOKEN_EXPIRY_WARNING_DAYS) if (daysLeft <= threshold) reached = threshold;
  return reached;
}

/** How many working days before its deadline a case is « bientôt en retard ». */
export const DUE_SOON_WORKING_DAYS = 2;

/** What each kind of event records (in the outbox's `data`): ids and labels' keys, never a secret nor a citizen's data. */
export interface NotificationEventData {
  case_stage_changed: { readonly from: OnboardingStage | null; readonly to: OnboardingStage; readonly reason: string | null };
  comment_internal: { readonly commentId: string; readonly authorName: string; readonly excerpt: string };
  comment_client: { readonly commentId: string; readonly authorName: string; readonly authorKind: 'staff' | 'client_admin'; readonly excerpt: string };
  case_due_soon: { readonly stage: OnboardingStage; readonly deadline: CalendarDate; readonly waitingOn: Party };
  case_overdue: { readonly stage: OnboardingStage; readonly deadline: CalendarDate; readonly waitingOn: Party };
  habilitation_changed: { readonly product: HabilitationProduct; readonly from: HabilitationState | null; readonly to: HabilitationState; readonly source: 'manual' | 'webhook' };
  api_particulier_token_expiring: { readonly environment: ApiParticulierEnvironment; readonly expiresOn: CalendarDate; readonly threshold: TokenExpiryWarningDay };
  robot_checks_failed: { readonly runId: string; readonly failedItems: readonly string[]; readonly runError: string | null };
  batch_finished: { readonly batchId: string; readonly fileName: string; readonly total: number; readonly succeeded: number; readonly failed: number };
}

export type NotificationEventOf<K extends NotificationKind> = { readonly kind: K; readonly data: NotificationEventData[K] };
export type AnyNotificationEvent = { [K in NotificationKind]: NotificationEventOf<K> }[NotificationKind];

/** A notification as its reader reads it (console list, e-mail). */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
  /** Path inside the console (after `/console/`), or null. */
  readonly link: string | null;
}

const EXCERPT_LENGTH = 280;

/** The beginning of a comment, on one line, for a notification (the whole text stays on the case). */
export function commentExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH - 1)}…`;
}

/** `2026-12-24` → `24/12/2026`. */
function frenchDate(date: CalendarDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The French words of one event for one reader. `tenantName` names the client for staff; a
 * client administrator reads « votre dossier ».
 */
export function describeNotification(event: AnyNotificationEvent, context: { readonly tenantId: string | null; readonly tenantName: string | null; readonly audience: NotificationAudience }): NotificationText {
  const staff = context.audience === 'staff';
  const who = context.tenantName ?? 'un client';
  const file = staff ? `le dossier de ${who}` : 'votre dossier';
  const section = (name: string): string | null => (context.tenantId ? `clients/${context.tenantId}/${name}` : null);
  switch (event.kind) {
    case 'case_stage_changed': {
      const to = ONBOARDING_STAGE_LABELS[event.data.to];
      return {
        title: staff ? `${who} : étape « ${to} »` : `Votre dossier passe à l’étape « ${to} »`,
        body: [
          event.data.from ? `Le dossier passe de « ${ONBOARDING_STAGE_LABELS[event.data.from]} » à « ${to} ».` : `Le dossier est à l’étape « ${to} ».`,
          event.data.reason ? `Motif : ${event.data.reason}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        link: section('suivi'),
      };
    }
    case 'comment_internal':
      return { title: `${who} : note interne de ${event.data.authorName}`, body: event.data.excerpt, link: section('suivi') };
    case 'comment_client':
      return {
        title: staff ? `${who} : message de ${event.data.authorName}` : `Nouveau message de ${event.data.authorName} sur votre dossier`,
        body: event.data.excerpt,
        link: section('suivi'),
      };
    case 'case_due_soon':
    case 'case_overdue': {
      const stage = ONBOARDING_STAGE_LABELS[event.data.stage];
      const waiting = `En attente : ${partyLabel(event.data.waitingOn, staff ? 'staff' : 'client')}.`;
      const overdue = event.kind === 'case_overdue';
      return {
        title: overdue ? `${staff ? who : 'Votre dossier'} : délai dépassé (« ${stage} »)` : `${staff ? who : 'Votre dossier'} : échéance le ${frenchDate(event.data.deadline)}`,
        body: overdue
          ? `Le délai de l’étape « ${stage} » pour ${file} était le ${frenchDate(event.data.deadline)} (jours ouvrés). ${waiting}`
          : `L’étape « ${stage} » de ${file} doit se terminer au plus tard le ${frenchDate(event.data.deadline)} (jours ouvrés). ${waiting}`,
        link: section('suivi'),
      };
    }
    case 'habilitation_changed': {
      const product = HABILITATION_PRODUCT_LABELS[event.data.product];
      const to = HABILITATION_STATE_LABELS[event.data.to];
      const from = event.data.from ? ` (auparavant « ${HABILITATION_STATE_LABELS[event.data.from]} »)` : '';
      return {
        title: `${staff ? `${who} : h` : 'H'}abilitation ${product} : ${to.toLowerCase()}`,
        body: `L’habilitation DataPass ${product} de ${file} est désormais « ${to} »${from}${event.data.source === 'webhook' ? ', selon DataPass' : ''}.`,
        link: section('habilitations'),
      };
    }
    case 'api_particulier_token_expiring': {
      const env = API_PARTICULIER_ENVIRONMENT_LABELS[event.data.environment];
      return {
        title: `${staff ? `${who} : j` : 'J'}eton API Particulier expirant le ${frenchDate(event.data.expiresOn)}`,
        body: `Le jeton API Particulier (${env}) de ${file} expire le ${frenchDate(event.data.expiresOn)}, dans ${event.data.threshold} jours ou moins. Demandez un nouveau jeton puis enregistrez-le avant cette date.`,
        link: section('api-particulier'),
      };
    }
    case 'robot_checks_failed': {
      const failed = event.data.failedItems;
      return {
        title: event.data.runError ? `${who} : le passage du robot de qualification a échoué` : `${who} : ${failed.length} prérequis non conforme${failed.length > 1 ? 's' : ''} selon le robot`,
        body: event.data.runError
          ? `Le robot de qualification n’a pas pu terminer son passage : ${event.data.runError}`
          : `Le robot de qualification a trouvé des prérequis non conformes : ${failed.join(', ')}.`,
        link: section('robot'),
      };
    }
    case 'batch_finished': {
      const { total, succeeded, failed } = event.data;
      return {
        title: `Lot terminé : ${event.data.fileName}`,
        body: `${total > 1 ? `Les ${total} dossiers du lot « ${event.data.fileName} » ont été traités` : `Le dossier du lot « ${event.data.fileName} » a été traité`} : ${succeeded} réussi${succeeded > 1 ? 's' : ''}, ${failed} en échec. Les résultats sont à télécharger dans la console.`,
        link: section('api-particulier'),
      };
    }
  }
}
