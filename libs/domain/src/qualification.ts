/**
 * The 22 FranceConnect qualification prerequisites (FC-01 … FC-22), as FranceConnect numbers them
 * (each is described, with how the platform meets it, in docs/requirements.md#qualification-fc-01-to-fc-22),
 * and the checklist a client's case keeps about them.
 *
 * Modes: `C` = FranceConnect as login (« Connexion »), `D` = FranceConnect to retrieve data
 * (« Récupération des données »). An item applies when one of its modes is enabled.
 *
 * Checklist policy (what blocks a qualification request, see {@link checklistSummary}):
 * every applicable item is checked during the internal test (« recette ») **before** requesting
 * qualification, so an applicable item blocks while it is `failed` or still `todo`.
 * `not_applicable` is accepted only on the items FranceConnect itself describes as conditional
 * (FC-11 reconciliation is optional, FC-12 only if the service offers account deletion, FC-22 only
 * for health, bank details or sensitive documents); on any other applicable item it blocks too.
 *
 * Every status records its `source`: a person (`manual`) or the verification robot (`robot`).
 * A robot never overrides a person's decision, and only checks items that are machine-checkable
 * (see {@link applyItemResult}).
 */

export const QUALIFICATION_MODES = ['C', 'D'] as const;
export type QualificationMode = (typeof QUALIFICATION_MODES)[number];

export const QUALIFICATION_MODE_LABELS: Readonly<Record<QualificationMode, string>> = {
  C: 'Connexion avec FranceConnect',
  D: 'Récupération des données avec FranceConnect',
};

/** How an item can be verified: measuring the rendered page, inspecting the protocol, or a person. */
export type CheckKind = 'browser' | 'protocol' | 'manual';

export const CHECK_KIND_LABELS: Readonly<Record<CheckKind, string>> = {
  browser: 'Vérification dans le navigateur',
  protocol: 'Vérification des échanges (protocole)',
  manual: 'Attestation par une personne',
};

export const QUALIFICATION_ITEM_IDS = [
  'FC-01', 'FC-02', 'FC-03', 'FC-04', 'FC-05', 'FC-06', 'FC-07', 'FC-08', 'FC-09', 'FC-10', 'FC-11',
  'FC-12', 'FC-13', 'FC-14', 'FC-15', 'FC-16', 'FC-17', 'FC-18', 'FC-19', 'FC-20', 'FC-21', 'FC-22',
] as const;
export type QualificationItemId = (typeof QUALIFICATION_ITEM_IDS)[number];

export interface QualificationItem {
  readonly id: QualificationItemId;
  readonly modes: readonly QualificationMode[];
  readonly title: string;
  readonly description: string;
  readonly checks: readonly CheckKind[];
  /** Whether `not_applicable` is an acceptable answer for this item when its modes apply. */
  readonly conditional: boolean;
}

const EXPLANATORY_TEXT =
  '« FranceConnect est la solution proposée par l’État pour sécuriser et simplifier la connexion à vos services en ligne »';

export const QUALIFICATION_ITEMS: readonly QualificationItem[] = [
  {
    id: 'FC-01',
    modes: ['C', 'D'],
    title: 'Bouton FranceConnect dans la section Connexion',
    description: `Le bouton FranceConnect est dans la section « Connexion », avec au-dessus le texte ${EXPLANATORY_TEXT}. Taille 209 × 56 px (plus grand possible si les proportions sont conservées), couleurs officielles.`,
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-02',
    modes: ['C', 'D'],
    title: 'Lien « Qu’est-ce que FranceConnect ? » sous le bouton',
    description:
      'Le lien est 8 px sous le bouton, a l’apparence et le comportement d’un lien, mène à https://franceconnect.gouv.fr dans une nouvelle fenêtre (annoncée par son titre). Le bouton n’est ni déformé, ni recoloré, ni renommé.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-03',
    modes: ['C'],
    title: 'Bouton FranceConnect dans la section Inscription',
    description: 'Le bouton figure aussi dans la section « Inscription », avec le même texte explicatif au-dessus.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-04',
    modes: ['C'],
    title: 'Lien « Qu’est-ce que FranceConnect ? » dans la section Inscription',
    description: 'Le lien vers https://franceconnect.gouv.fr figure aussi sous le bouton de la section « Inscription ».',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-05',
    modes: ['C'],
    title: 'FranceConnect en premier mode de connexion',
    description: 'Le bouton FranceConnect est placé au-dessus des autres moyens d’identification.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-06',
    modes: ['C'],
    title: 'Séparation « OU » avec les autres modes de connexion',
    description: 'Une séparation (une ligne par exemple) portant la mention « OU » sépare FranceConnect des autres modes de connexion.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-07',
    modes: ['C'],
    title: 'Aucune connexion par réseau social ou acteur privé',
    description:
      'Aucun lien, icône ou service d’identification de réseau social ou d’acteur privé (Google, Facebook, Apple, Microsoft, LinkedIn…) près du bouton.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-08',
    modes: ['C', 'D'],
    title: 'Connexion ou récupération des données avec FranceConnect',
    description:
      'Connexion : l’usager se connecte avec FranceConnect. Récupération : l’usager récupère ses données avec le bouton « Récupérer ses données avec FranceConnect ».',
    checks: ['browser', 'protocol'],
    conditional: false,
  },
  {
    id: 'FC-09',
    modes: ['C', 'D'],
    title: 'Déconnexion de FranceConnect',
    description: 'Se déconnecter du service met aussi fin à la session FranceConnect (fin de session avec id_token_hint).',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-10',
    modes: ['C'],
    title: 'Inscription avec FranceConnect',
    description: 'S’inscrire avec FranceConnect crée un compte local à partir de l’identité FranceConnect (l’usager n’avait pas de compte).',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-11',
    modes: ['C', 'D'],
    title: 'Réconciliation de compte',
    description:
      'Facultative, automatique ou à l’initiative de l’usager, elle suit le « parcours de réconciliation » de FranceConnect ; en récupération de données sans réconciliation préalable, les données récupérées doivent être celles du compte connecté.',
    checks: ['browser', 'manual'],
    conditional: true,
  },
  {
    id: 'FC-12',
    modes: ['C'],
    title: 'Suppression ou dissociation du compte',
    description: 'Supprimer (ou dissocier) son compte déconnecte aussi l’usager de sa session FranceConnect.',
    checks: ['protocol'],
    conditional: true,
  },
  {
    id: 'FC-13',
    modes: ['C', 'D'],
    title: 'Ni fenêtre pop-up ni iframe',
    description: 'Aucune fenêtre pop-up ni iframe ; le portail refuse d’être affiché dans un cadre.',
    checks: ['browser', 'protocol'],
    conditional: false,
  },
  {
    id: 'FC-14',
    modes: ['C'],
    title: 'Usager identifié comme connecté',
    description: 'L’usager voit clairement qu’il est connecté et accède à son profil.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-15',
    modes: ['C', 'D'],
    title: 'Identité pivot non modifiable',
    description:
      'Sur le profil (et le formulaire d’inscription), nom de naissance, prénoms, date, ville et pays de naissance et sexe ne sont pas modifiables lorsqu’ils viennent de FranceConnect.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-16',
    modes: ['C', 'D'],
    title: 'Nom d’usage et courriel modifiables',
    description: 'Le nom d’usage et l’adresse électronique restent modifiables par l’usager.',
    checks: ['browser'],
    conditional: false,
  },
  {
    id: 'FC-17',
    modes: ['C', 'D'],
    title: 'Données demandées (scopes)',
    description:
      'Les scopes demandés comprennent au moins l’identité pivot ; ceux d’API Particulier sont prédéfinis dans les modèles DataPass des clients.',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-18',
    modes: ['C', 'D'],
    title: 'TLS 1.2 ou 1.3 uniquement',
    description: 'Le service n’accepte aucune version de TLS inférieure à 1.2.',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-19',
    modes: ['C', 'D'],
    title: 'Niveau eIDAS : acr_values=eidas1',
    description: 'Le paramètre acr_values vaut eidas1 lors de l’appel à /authorize.',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-20',
    modes: ['C', 'D'],
    title: 'Paramètres state et nonce',
    description:
      'state et nonce comptent au moins 22 caractères [0-9A-Za-z], aléatoires et uniques à chaque session ; les modifier interrompt la cinématique (retour à l’accueil, déconnexion de FranceConnect recommandée).',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-21',
    modes: ['C', 'D'],
    title: 'Client ID identique à celui de l’espace partenaire',
    description: 'Le client_id déclaré dans l’espace partenaire est celui utilisé dans /authorize.',
    checks: ['protocol'],
    conditional: false,
  },
  {
    id: 'FC-22',
    modes: ['C'],
    title: 'Second facteur d’authentification',
    description:
      'Un second facteur (possession ou biométrie ; le code à usage unique par courriel ne compte pas) pour un service de santé, la modification d’un RIB ou la modification ou le téléchargement de données ou documents sensibles.',
    checks: ['manual'],
    conditional: true,
  },
];

const ITEMS_BY_ID: ReadonlyMap<QualificationItemId, QualificationItem> = new Map(
  QUALIFICATION_ITEMS.map((item) => [item.id, item]),
);

export function isQualificationItemId(value: unknown): value is QualificationItemId {
  return typeof value === 'string' && ITEMS_BY_ID.has(value as QualificationItemId);
}

export function qualificationItem(id: QualificationItemId): QualificationItem {
  const item = ITEMS_BY_ID.get(id);
  if (!item) throw new RangeError(`Prérequis inconnu : ${id}.`);
  return item;
}

/** Which FranceConnect uses the client's service has. */
export interface QualificationModes {
  readonly connexion: boolean;
  readonly dataRetrieval: boolean;
}

export function enabledModes(modes: QualificationModes): QualificationMode[] {
  const enabled: QualificationMode[] = [];
  if (modes.connexion) enabled.push('C');
  if (modes.dataRetrieval) enabled.push('D');
  return enabled;
}

export function isItemApplicable(item: QualificationItem, modes: QualificationModes): boolean {
  const enabled = enabledModes(modes);
  return item.modes.some((mode) => enabled.includes(mode));
}

/** Items that apply to a service with these modes, in catalogue order (none if no mode). */
export function applicableItems(modes: QualificationModes): QualificationItem[] {
  return QUALIFICATION_ITEMS.filter((item) => isItemApplicable(item, modes));
}

/** Whether a robot can check the item at all (it has a browser or protocol check). */
export function isRobotCheckable(item: QualificationItem): boolean {
  return item.checks.includes('browser') || item.checks.includes('protocol');
}

export const ITEM_STATUSES = ['todo', 'passed', 'failed', 'not_applicable'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_LABELS: Readonly<Record<ItemStatus, string>> = {
  todo: 'À vérifier',
  passed: 'Conforme',
  failed: 'Non conforme',
  not_applicable: 'Sans objet',
};

export type ItemSource = 'manual' | 'robot';

/** The recorded status of one item for one case. */
export interface ChecklistEntry {
  readonly id: QualificationItemId;
  readonly status: ItemStatus;
  readonly source: ItemSource;
  /** ISO instant of the check; absent for an item never checked. */
  readonly checkedAt?: string;
  /** Free French comment: what failed, evidence, why it does not apply. */
  readonly note?: string;
}

/**
 * The full checklist for a service with these modes: one entry per applicable item, in catalogue
 * order, taken from `entries` when present and `todo` otherwise. Entries of items that do not
 * apply are dropped.
 */
export function buildChecklist(modes: QualificationModes, entries: readonly ChecklistEntry[]): ChecklistEntry[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return applicableItems(modes).map(
    (item) => byId.get(item.id) ?? { id: item.id, status: 'todo', source: 'manual' },
  );
}

export type BlockingCause = 'failed' | 'todo' | 'not_applicable_not_allowed';

export interface BlockingItem {
  readonly id: QualificationItemId;
  readonly cause: BlockingCause;
  /** French explanation, e.g. « FC-05 FranceConnect en premier mode de connexion : non conforme ». */
  readonly message: string;
}

export interface ChecklistSummary {
  readonly total: number;
  readonly counts: Readonly<Record<ItemStatus, number>>;
  /** Items checked by the robot / by a person (todo items not counted). */
  readonly bySource: Readonly<Record<ItemSource, number>>;
  readonly failed: readonly QualificationItemId[];
  /** Everything preventing a qualification request, failures first. */
  readonly blocking: readonly BlockingItem[];
  readonly readyForQualification: boolean;
}

const BLOCKING_TEXT: Readonly<Record<BlockingCause, string>> = {
  failed: 'non conforme',
  todo: 'pas encore vérifié',
  not_applicable_not_allowed: 'ne peut pas être déclaré sans objet',
};

/**
 * Counts and blocking items of a checklist (pass the output of {@link buildChecklist} so missing
 * items count as `todo`). Ready for qualification when nothing blocks and the list is not empty.
 */
export function checklistSummary(items: readonly ChecklistEntry[]): ChecklistSummary {
  const counts: Record<ItemStatus, number> = { todo: 0, passed: 0, failed: 0, not_applicable: 0 };
  const bySource: Record<ItemSource, number> = { manual: 0, robot: 0 };
  const failures: BlockingItem[] = [];
  const others: BlockingItem[] = [];
  for (const entry of items) {
    counts[entry.status] += 1;
    if (entry.status !== 'todo') bySource[entry.source] += 1;
    const item = ITEMS_BY_ID.get(entry.id);
    let cause: BlockingCause | null = null;
    if (entry.status === 'failed') cause = 'failed';
    else if (entry.status === 'todo') cause = 'todo';
    else if (entry.status === 'not_applicable' && item && !item.conditional) cause = 'not_applicable_not_allowed';
    if (cause) {
      const blocking = { id: entry.id, cause, message: `${entry.id} ${item?.title ?? ''} : ${BLOCKING_TEXT[cause]}` };
      (cause === 'failed' ? failures : others).push(blocking);
    }
  }
  const blocking = [...failures, ...others];
  return {
    total: items.length,
    counts,
    bySource,
    failed: failures.map((b) => b.id),
    blocking,
    readyForQualification: items.length > 0 && blocking.length === 0,
  };
}

/** A new result for one item, from a person or the robot. */
export interface ItemResult {
  readonly status: ItemStatus;
  readonly source: ItemSource;
  readonly checkedAt: string;
  readonly note?: string;
}

export type ItemResultOutcome =
  | { readonly ok: true; readonly entry: ChecklistEntry }
  | { readonly ok: false; readonly message: string };

/**
 * Applies a result to an item's current entry (`undefined` if never checked). Rules:
 * - a person (`manual`) may always set any status;
 * - the robot may only check robot-checkable items, may not answer `not_applicable` (a person
 *   decides that), and may not replace a status a person set (other than `todo`).
 */
export function applyItemResult(
  id: QualificationItemId,
  current: ChecklistEntry | undefined,
  result: ItemResult,
): ItemResultOutcome {
  const item = qualificationItem(id);
  if (result.source === 'robot') {
    if (!isRobotCheckable(item)) {
      return { ok: false, message: `${id} ne peut être vérifié que par une personne.` };
    }
    if (result.status === 'not_applicable') {
      return { ok: false, message: `Seule une personne peut déclarer ${id} sans objet.` };
    }
    if (current && current.source === 'manual' && current.status !== 'todo') {
      return { ok: false, message: `${id} a déjà été évalué par une personne ; le robot ne le remplace pas.` };
    }
  }
  const entry: ChecklistEntry = {
    id,
    status: result.status,
    source: result.source,
    checkedAt: result.checkedAt,
    ...(result.note === undefined ? {} : { note: result.note }),
  };
  return { ok: true, entry };
}

/**
 * What the qualification robot concludes on one item of one run (docs/qualification-robot.md).
 * `not_verifiable`: the robot could not prove it here (no non-production FranceConnect client for
 * the login checks, TLS on a plain-http sandbox URL…), with the reason; never a pass.
 */
export const ROBOT_VERDICTS = ['passed', 'failed', 'not_verifiable', 'not_applicable'] as const;
export type RobotVerdict = (typeof ROBOT_VERDICTS)[number];

export const ROBOT_VERDICT_LABELS: Readonly<Record<RobotVerdict, string>> = {
  passed: 'Conforme',
  failed: 'Non conforme',
  not_verifiable: 'Non vérifiable ici',
  not_applicable: 'Sans objet',
};

/** Why a robot run was asked for. */
export const ROBOT_RUN_TRIGGERS = ['manual', 'change', 'schedule'] as const;
export type RobotRunTrigger = (typeof ROBOT_RUN_TRIGGERS)[number];

export const ROBOT_RUN_TRIGGER_LABELS: Readonly<Record<RobotRunTrigger, string>> = {
  manual: 'Demandée par l’équipe',
  change: 'Après une modification',
  schedule: 'Vérification périodique',
};

export const ROBOT_RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type RobotRunStatus = (typeof ROBOT_RUN_STATUSES)[number];

export const ROBOT_RUN_STATUS_LABELS: Readonly<Record<RobotRunStatus, string>> = {
  queued: 'En attente',
  running: 'En cours',
  completed: 'Terminée',
  failed: 'Échouée',
};

/**
 * Where a person's verdict and the robot's last verdict on an item disagree: the person said
 * « conforme » and the robot found it failing, or the other way round. The robot never overwrites
 * a person's verdict; the console shows the disagreement instead. `not_verifiable` and
 * `not_applicable` from the robot disagree with nothing.
 */
export function robotDisagrees(person: ItemStatus | undefined, robot: RobotVerdict | undefined): boolean {
  if (person === undefined || robot === undefined) return false;
  return (person === 'passed' && robot === 'failed') || (person === 'failed' && robot === 'passed');
}
