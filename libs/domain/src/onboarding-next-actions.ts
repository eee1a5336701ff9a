/**
 * Plain-French progress of an onboarding case: what is done, what comes next and who has to act (the
 * client, its editor, DataPass, FranceConnect, API Particulier), in the words of whoever reads it —
 * the client's administrator (« Déposez… », « Votre éditeur… ») or the editor's staff (« Le client
 * doit déposer… », « Créez… »): staff used to read texts written for the client.
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
  canTransition,
  nextMainStage,
  partyLabel,
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

/** Who reads the progress: the client's administrator (« Votre organisme… ») or the editor's staff (« Le client… », « Créez… »). */
export type ProgressReader = 'client' | 'staff';

/** One text in both voices. */
interface Voiced {
  readonly client: string;
  readonly staff: string;
}

const DONE_TEXT: Readonly<Record<OnboardingStage, Voiced>> = {
  created: { client: 'Votre organisme est inscrit sur la plateforme.', staff: 'Le client est inscrit sur la plateforme.' },
  habilitations_requested: { client: 'Les demandes d’habilitation ont été déposées sur DataPass.', staff: 'Les demandes d’habilitation ont été déposées sur DataPass.' },
  habilitations_validated: { client: 'DataPass a validé les habilitations.', staff: 'DataPass a validé les habilitations.' },
  integration_credentials_received: {
    client: 'Les identifiants FranceConnect de test (intégration) ont été obtenus.',
    staff: 'Les identifiants FranceConnect de test (intégration) ont été obtenus.',
  },
  internal_check: { client: 'Votre éditeur a fait sa recette interne.', staff: 'La recette interne a été faite.' },
  qualification_requested: { client: 'La qualification a été demandée à FranceConnect.', staff: 'La qualification a été demandée à FranceConnect.' },
  changes_requested: { client: 'FranceConnect a demandé des corrections.', staff: 'FranceConnect a demandé des corrections.' },
  qualified: { client: 'FranceConnect a qualifié l’intégration.', staff: 'FranceConnect a qualifié l’intégration.' },
  production_requested: { client: 'La mise en production a été demandée.', staff: 'La mise en production a été demandée.' },
  production_credentials_received: { client: 'Les identifiants de production ont été reçus.', staff: 'Les identifiants de production ont été reçus.' },
  live: { client: 'Le service est en production.', staff: 'Le service du client est en production.' },
};

const SUMMARY_TEXT: Readonly<Record<OnboardingStage, Voiced>> = {
  created: {
    client: 'Votre organisme est inscrit ; les demandes d’habilitation restent à déposer sur DataPass.',
    staff: 'Le client est inscrit ; ses demandes d’habilitation restent à déposer sur DataPass.',
  },
  habilitations_requested: {
    client: 'Vos demandes d’habilitation sont en cours d’instruction sur DataPass.',
    staff: 'Les demandes d’habilitation du client sont en cours d’instruction sur DataPass.',
  },
  habilitations_validated: {
    client: 'Vos habilitations sont validées ; les identifiants de test FranceConnect sont à créer.',
    staff: 'Les habilitations du client sont validées ; les identifiants de test FranceConnect sont à créer.',
  },
  integration_credentials_received: {
    client: 'Les identifiants de test sont là ; votre éditeur prépare la recette.',
    staff: 'Les identifiants de test sont là ; la recette est à préparer.',
  },
  internal_check: {
    client: 'Votre éditeur vérifie son intégration avant de demander la qualification à FranceConnect.',
    staff: 'La recette interne vérifie l’intégration avant la demande de qualification à FranceConnect.',
  },
  qualification_requested: { client: 'FranceConnect examine l’intégration (qualification).', staff: 'FranceConnect examine l’intégration (qualification).' },
  changes_requested: {
    client: 'FranceConnect a demandé des corrections avant de qualifier l’intégration.',
    staff: 'FranceConnect a demandé des corrections avant de qualifier l’intégration.',
  },
  qualified: {
    client: 'L’intégration est qualifiée par FranceConnect ; la mise en production peut être demandée.',
    staff: 'L’intégration est qualifiée par FranceConnect ; le client peut demander la mise en production.',
  },
  production_requested: {
    client: 'La mise en production est demandée ; FranceConnect prépare les identifiants de production.',
    staff: 'La mise en production est demandée ; FranceConnect prépare les identifiants de production.',
  },
  production_credentials_received: {
    client: 'Les identifiants de production sont reçus ; votre éditeur ouvre le service.',
    staff: 'Les identifiants de production sont reçus ; le service est à ouvrir.',
  },
  live: { client: 'Votre service est en production avec FranceConnect.', staff: 'Le service du client est en production avec FranceConnect.' },
};

/** Builds the actions of one reader: `say(client, staff)` makes an action in that reader's words. */
function speaker(reader: ProgressReader): (actor: Party, client: string, staff: string) => NextAction {
  return (actor, client, staff) => ({ actor, actorLabel: partyLabel(actor, reader), text: reader === 'staff' ? staff : client });
}

type Say = ReturnType<typeof speaker>;

/** Actions about one habilitation, whatever the stage (an empty list when it is validated). */
function habilitationActions(product: HabilitationProduct, snapshot: OnboardingSnapshot, say: Say): NextAction[] {
  const label = HABILITATION_PRODUCT_LABELS[product];
  const franceConnect = product === 'franceconnect';
  switch (snapshot.habilitations[product] ?? null) {
    case null:
      return [
        say(
          'client',
          `Déposez sur DataPass (${DATAPASS_URL}) la demande d’habilitation ${label}${franceConnect ? ', en désignant le contact technique de votre éditeur' : ''}.`,
          `Le client doit déposer sur DataPass (${DATAPASS_URL}) la demande d’habilitation ${label}${franceConnect ? ', en désignant le contact technique de l’éditeur' : ''}.`,
        ),
      ];
    case 'draft':
      return [say('client', `Finalisez et soumettez sur DataPass votre demande d’habilitation ${label}.`, `Le client doit finaliser et soumettre sur DataPass sa demande d’habilitation ${label}.`)];
    case 'submitted':
      return [say('datapass', `DataPass instruit votre demande d’habilitation ${label}.`, `DataPass instruit la demande d’habilitation ${label} du client.`)];
    case 'changes_requested':
      return [
        say(
          'client',
          `DataPass demande des modifications sur votre demande ${label} : corrigez-la puis soumettez-la de nouveau.`,
          `DataPass demande des modifications sur la demande ${label} : le client doit la corriger puis la soumettre de nouveau.`,
        ),
      ];
    case 'validated':
      return [];
    case 'refused':
      return [
        say(
          'client',
          `Votre demande ${label} a été refusée : lisez le motif sur DataPass et, si besoin, déposez une nouvelle demande.`,
          `La demande ${label} du client a été refusée : le motif est sur DataPass ; le client peut déposer une nouvelle demande.`,
        ),
      ];
    case 'revoked':
      return [
        say(
          'client',
          `Votre habilitation ${label} a été révoquée : le service ne peut plus l’utiliser. Déposez une nouvelle demande sur DataPass.`,
          `L’habilitation ${label} du client a été révoquée : le service ne peut plus l’utiliser. Le client doit déposer une nouvelle demande sur DataPass.`,
        ),
      ];
    case 'archived':
      return [
        say('client', `Votre demande ${label} a été archivée : déposez une nouvelle demande sur DataPass.`, `La demande ${label} du client a été archivée : il doit en déposer une nouvelle sur DataPass.`),
      ];
  }
}

function stageActions(snapshot: OnboardingSnapshot, say: Say): NextAction[] {
  const { modes } = snapshot;
  switch (snapshot.stage) {
    case 'created':
    case 'habilitations_requested':
      return requiredHabilitations(modes).flatMap((product) => habilitationActions(product, snapshot, say));
    case 'habilitations_validated': {
      const actions = [
        say(
          'editor',
          'Votre éditeur crée les identifiants FranceConnect de test (intégration) dans l’espace partenaire FranceConnect.',
          'Créez les identifiants FranceConnect de test (intégration) dans l’espace partenaire FranceConnect.',
        ),
      ];
      if (modes.dataRetrieval) {
        actions.push(
          say(
            'client',
            `Écrivez à ${API_PARTICULIER_SUPPORT_EMAIL} pour faire activer la modalité FranceConnect sur votre habilitation API Particulier.`,
            `Le client doit écrire à ${API_PARTICULIER_SUPPORT_EMAIL} pour faire activer la modalité FranceConnect sur son habilitation API Particulier.`,
          ),
        );
      }
      return actions;
    }
    case 'integration_credentials_received':
      return [
        say(
          'editor',
          'Votre éditeur configure FranceConnect sur l’environnement d’intégration et commence la recette.',
          'Configurez FranceConnect sur l’environnement d’intégration et commencez la recette.',
        ),
      ];
    case 'internal_check': {
      const summary = checklistSummary(buildChecklist(modes, snapshot.checklist));
      const counts = `${summary.counts.passed + summary.counts.not_applicable} validé(s), ${summary.counts.failed} à corriger, ${summary.counts.todo} à vérifier.`;
      const actions = [say('editor', `Votre éditeur vérifie les ${summary.total} prérequis de FranceConnect : ${counts}`, `Vérifiez les ${summary.total} prérequis de FranceConnect : ${counts}`)];
      if (summary.readyForQualification) {
        actions.push(
          say(
            'editor',
            `Votre éditeur dépose la demande de qualification sur Démarches Simplifiées (${DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL}).`,
            `Déposez la demande de qualification sur Démarches Simplifiées (${DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL}).`,
          ),
        );
      }
      return actions;
    }
    case 'qualification_requested': {
      const file = snapshot.dsFileNumber ? ` (dossier Démarches Simplifiées n° ${snapshot.dsFileNumber})` : '';
      const text = `L’équipe FranceConnect teste l’intégration${file}, puis la qualifie ou demande des corrections.`;
      return [say('franceconnect', text, text)];
    }
    case 'changes_requested':
      return [
        say(
          'editor',
          'Votre éditeur apporte les corrections demandées par FranceConnect, refait la recette puis redemande la qualification.',
          'Apportez les corrections demandées par FranceConnect, refaites la recette puis redemandez la qualification.',
        ),
      ];
    case 'qualified':
      return [
        say(
          'client',
          'Demandez la mise en production de votre service depuis l’espace partenaire FranceConnect.',
          'Le client doit demander la mise en production de son service depuis l’espace partenaire FranceConnect.',
        ),
      ];
    case 'production_requested': {
      const text =
        'FranceConnect envoie les identifiants de production au contact technique : l’identifiant (client_id) par courriel, le secret (client_secret) par SMS, environ 7 jours ouvrés après la demande.';
      return [say('franceconnect', text, text)];
    }
    case 'production_credentials_received': {
      const actions: NextAction[] = [];
      if (modes.dataRetrieval && !snapshot.credentials.apiParticulier.production) {
        actions.push(
          say(
            'client',
            'Enregistrez sur la plateforme le jeton API Particulier de production (disponible dans votre compte API Particulier).',
            'Le client doit enregistrer sur la plateforme le jeton API Particulier de production (disponible dans son compte API Particulier).',
          ),
        );
      }
      actions.push(say('editor', 'Votre éditeur installe les identifiants de production et ouvre le service.', 'Installez les identifiants de production et ouvrez le service.'));
      return actions;
    }
    case 'live':
      return [];
  }
}

/** Progress of a case in plain French, in the words of its reader (the client's administrator by default). */
export function nextActions(snapshot: OnboardingSnapshot, reader: ProgressReader = 'client'): OnboardingProgress {
  const say = speaker(reader);
  const { stage } = snapshot;
  const behind =
    stage === 'changes_requested'
      ? MAIN_PATH.slice(0, MAIN_PATH.indexOf('qualification_requested') + 1)
      : MAIN_PATH.slice(0, MAIN_PATH.indexOf(stage));
  const done = behind.map((s) => DONE_TEXT[s][reader]);

  // A lost habilitation matters at any stage once they were validated: put it first.
  const alerts =
    MAIN_PATH.indexOf(stage) > MAIN_PATH.indexOf('habilitations_requested') || stage === 'changes_requested'
      ? requiredHabilitations(snapshot.modes).flatMap((product) =>
          snapshot.habilitations[product] === 'validated' ? [] : habilitationActions(product, snapshot, say),
        )
      : [];

  const target = nextMainStage(stage);
  const check = target ? canTransition(snapshot, target, { actor: 'staff' }) : null;
  return {
    stage,
    stageLabel: ONBOARDING_STAGE_LABELS[stage],
    summary: SUMMARY_TEXT[stage][reader],
    done,
    next: [...alerts, ...stageActions(snapshot, say)],
    blockers: check && !check.ok ? check.reasons : [],
  };
}
