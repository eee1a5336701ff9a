/**
 * Plain-French progress of an onboarding case for the client's administrator: what is done, what
 * comes next and who has to act (the client, its editor, DataPass, FranceConnect, API Particulier).
 *
 * "Done" lists the main-path stages strictly behind the current one (a case that skipped stages
 * shows them as done too: they are behind it; at `changes_requested`, everything up to the
 * qualification request). "Next" depends on the stage and on the snapshot (habilitation
 * states, checklist progress). "Blockers" are the guard reasons that currently prevent the next
 * normal step, as computed by {@link canTransition}.
 */
import { HABILITATION_PRODUCT_LABELS, type HabilitationProduct } from './datapass.js';
import { API_PARTICULIER_SUPPORT_EMAIL, DATAPASS_URL, DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL } from './links.js';
import {
  MAIN_PATH,
  ONBOARDING_STAGE_LABELS,
  PARTY_LABELS,
  canTransition,
  nextMainStage,
  requiredHabilitations,
  type OnboardingSnapshot,
  type OnboardingStage,
  type Party,
  type TransitionReason,
} from './onboarding.js';
import { buildChecklist, checklistSummary } from './qualification.js';

export interface NextAction {
  readonly actor: Party;
  readonly actorLabel: string;
  readonly text: string;
}

export interface OnboardingProgress {
  readonly stage: OnboardingStage;
  readonly stageLabel: string;
  /** One sentence on where the case stands. */
  readonly summary: string;
  /** What has been achieved, oldest first. */
  readonly done: readonly string[];
  /** What has to happen now, most urgent first. */
  readonly next: readonly NextAction[];
  /** What currently prevents the next normal step (empty when nothing does, or when live). */
  readonly blockers: readonly TransitionReason[];
}

const DONE_TEXT: Readonly<Record<OnboardingStage, string>> = {
  created: 'Votre organisme est inscrit sur la plateforme.',
  habilitations_requested: 'Les demandes d’habilitation ont été déposées sur DataPass.',
  habilitations_validated: 'DataPass a validé les habilitations.',
  integration_credentials_received: 'Les identifiants FranceConnect de test (intégration) ont été obtenus.',
  internal_check: 'Votre éditeur a fait sa recette interne.',
  qualification_requested: 'La qualification a été demandée à FranceConnect.',
  changes_requested: 'FranceConnect a demandé des corrections.',
  qualified: 'FranceConnect a qualifié l’intégration.',
  production_requested: 'La mise en production a été demandée.',
  production_credentials_received: 'Les identifiants de production ont été reçus.',
  live: 'Le service est en production.',
};

const SUMMARY_TEXT: Readonly<Record<OnboardingStage, string>> = {
  created: 'Votre organisme est inscrit ; les demandes d’habilitation restent à déposer sur DataPass.',
  habilitations_requested: 'Vos demandes d’habilitation sont en cours d’instruction sur DataPass.',
  habilitations_validated: 'Vos habilitations sont validées ; les identifiants de test FranceConnect sont à créer.',
  integration_credentials_received: 'Les identifiants de test sont là ; votre éditeur prépare la recette.',
  internal_check: 'Votre éditeur vérifie son intégration avant de demander la qualification à FranceConnect.',
  qualification_requested: 'FranceConnect examine l’intégration (qualification).',
  changes_requested: 'FranceConnect a demandé des corrections avant de qualifier l’intégration.',
  qualified: 'L’intégration est qualifiée par FranceConnect ; la mise en production peut être demandée.',
  production_requested: 'La mise en production est demandée ; FranceConnect prépare les identifiants de production.',
  production_credentials_received: 'Les identifiants de production sont reçus ; votre éditeur ouvre le service.',
  live: 'Votre service est en production avec FranceConnect.',
};

function action(actor: Party, text: string): NextAction {
  return { actor, actorLabel: PARTY_LABELS[actor], text };
}

/** Actions about one habilitation, whatever the stage (an empty list when it is validated). */
function habilitationActions(product: HabilitationProduct, snapshot: OnboardingSnapshot): NextAction[] {
  const label = HABILITATION_PRODUCT_LABELS[product];
  const contact = product === 'franceconnect' ? ', en désignant le contact technique de votre éditeur' : '';
  switch (snapshot.habilitations[product] ?? null) {
    case null:
      return [action('client', `Déposez sur DataPass (${DATAPASS_URL}) la demande d’habilitation ${label}${contact}.`)];
    case 'draft':
      return [action('client', `Finalisez et soumettez sur DataPass votre demande d’habilitation ${label}.`)];
    case 'submitted':
      return [action('datapass', `DataPass instruit votre demande d’habilitation ${label}.`)];
    case 'changes_requested':
      return [
        action('client', `DataPass demande des modifications sur votre demande ${label} : corrigez-la puis soumettez-la de nouveau.`),
      ];
    case 'validated':
      return [];
    case 'refused':
      return [
        action('client', `Votre demande ${label} a été refusée : lisez le motif sur DataPass et, si besoin, déposez une nouvelle demande.`),
      ];
    case 'revoked':
      return [
        action('client', `Votre habilitation ${label} a été révoquée : le service ne peut plus l’utiliser. Déposez une nouvelle demande sur DataPass.`),
      ];
    case 'archived':
      return [action('client', `Votre demande ${label} a été archivée : déposez une nouvelle demande sur DataPass.`)];
  }
}

function stageActions(snapshot: OnboardingSnapshot): NextAction[] {
  const { modes } = snapshot;
  switch (snapshot.stage) {
    case 'created':
    case 'habilitations_requested':
      return requiredHabilitations(modes).flatMap((product) => habilitationActions(product, snapshot));
    case 'habilitations_validated': {
      const actions = [
        action('editor', 'Votre éditeur crée les identifiants FranceConnect de test (intégration) dans l’espace partenaire FranceConnect.'),
      ];
      if (modes.dataRetrieval) {
        actions.push(
          action(
            'client',
            `Écrivez à ${API_PARTICULIER_SUPPORT_EMAIL} pour faire activer la modalité FranceConnect sur votre habilitation API Particulier.`,
          ),
        );
      }
      return actions;
    }
    case 'integration_credentials_received':
      return [action('editor', 'Votre éditeur configure FranceConnect sur l’environnement d’intégration et commence la recette.')];
    case 'internal_check': {
      const summary = checklistSummary(buildChecklist(modes, snapshot.checklist));
      const text = `Votre éditeur vérifie les ${summary.total} prérequis de FranceConnect : ${summary.counts.passed + summary.counts.not_applicable} validé(s), ${summary.counts.failed} à corriger, ${summary.counts.todo} à vérifier.`;
      const actions = [action('editor', text)];
      if (summary.readyForQualification) {
        actions.push(
          action('editor', `Votre éditeur dépose la demande de qualification sur Démarches Simplifiées (${DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL}).`),
        );
      }
      return actions;
    }
    case 'qualification_requested': {
      const file = snapshot.dsFileNumber ? ` (dossier Démarches Simplifiées n° ${snapshot.dsFileNumber})` : '';
      return [
        action('franceconnect', `L’équipe FranceConnect teste l’intégration${file}, puis la qualifie ou demande des corrections.`),
      ];
    }
    case 'changes_requested':
      return [
        action('editor', 'Votre éditeur apporte les corrections demandées par FranceConnect, refait la recette puis redemande la qualification.'),
      ];
    case 'qualified':
      return [action('client', 'Demandez la mise en production de votre service depuis l’espace partenaire FranceConnect.')];
    case 'production_requested':
      return [
        action(
          'franceconnect',
          'FranceConnect envoie les identifiants de production au contact technique : l’identifiant (client_id) par courriel, le secret (client_secret) par SMS, environ 7 jours ouvrés après la demande.',
        ),
      ];
    case 'production_credentials_received': {
      const actions: NextAction[] = [];
      if (modes.dataRetrieval && !snapshot.credentials.apiParticulier.production) {
        actions.push(
          action('client', 'Enregistrez sur la plateforme le jeton API Particulier de production (disponible dans votre compte API Particulier).'),
        );
      }
      actions.push(action('editor', 'Votre éditeur installe les identifiants de production et ouvre le service.'));
      return actions;
    }
    case 'live':
      return [];
  }
}

/** Progress of a case in plain French for the client's administrator. */
export function nextActions(snapshot: OnboardingSnapshot): OnboardingProgress {
  const { stage } = snapshot;
  const behind =
    stage === 'changes_requested'
      ? MAIN_PATH.slice(0, MAIN_PATH.indexOf('qualification_requested') + 1)
      : MAIN_PATH.slice(0, MAIN_PATH.indexOf(stage));
  const done = behind.map((s) => DONE_TEXT[s]);

  // A lost habilitation matters at any stage once they were validated: put it first.
  const alerts =
    MAIN_PATH.indexOf(stage) > MAIN_PATH.indexOf('habilitations_requested') || stage === 'changes_requested'
      ? requiredHabilitations(snapshot.modes).flatMap((product) =>
          snapshot.habilitations[product] === 'validated' ? [] : habilitationActions(product, snapshot),
        )
      : [];

  const target = nextMainStage(stage);
  const check = target ? canTransition(snapshot, target, { actor: 'staff' }) : null;
  return {
    stage,
    stageLabel: ONBOARDING_STAGE_LABELS[stage],
    summary: SUMMARY_TEXT[stage],
    done,
    next: [...alerts, ...stageActions(snapshot)],
    blockers: check && !check.ok ? check.reasons : [],
  };
}
