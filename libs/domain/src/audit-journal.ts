/**
 * The journal people read (issue 16): every audit action the platform writes, in French, and what
 * changed as « label : before → after » with values people know (stage names, environment names,
 * dates), never a raw field name. `AuditAction` is the type of `appendAudit`'s action in `@fcplat/db`:
 * an action without a French label does not compile. A change key without a label is shown as
 * « Autre détail », never as its code; secrets never reach the audit rows (`redact` in `@fcplat/db`).
 */
import { CALL_MODALITY_INFO, API_PARTICULIER_CATALOGUE, apiForScope, isApiParticulierApi, type CallModality } from './api-particulier.js';
import { FRANCECONNECT_SCOPE_LABELS, HABILITATION_STATE_LABELS, isHabilitationState } from './datapass.js';
import { API_PARTICULIER_ENVIRONMENT_LABELS, FRANCECONNECT_ENVIRONMENT_LABELS } from './environments.js';
import { COMMENT_VISIBILITY_LABELS, ONBOARDING_STAGE_LABELS, isOnboardingStage, moveLabel } from './onboarding.js';

export const AUDIT_ACTION_LABELS = {
  'tenant.created': 'Client créé',
  'tenant.updated': 'Fiche modifiée',
  'tenant.directory_refreshed': 'Annuaire des entreprises consulté à nouveau',
  'tenant.logo_uploaded': 'Logo du portail déposé',
  'tenant.logo_removed': 'Logo du portail retiré',
  'tenant.live_environment.changed': 'Environnement en service changé',
  'tenant.live_environment.checked': 'Configuration FranceConnect testée',
  'habilitation.created': 'Habilitation créée',
  'habilitation.recorded': 'Habilitation enregistrée',
  'habilitation.updated': 'Habilitation mise à jour',
  'habilitation.webhook_recorded': 'Habilitation reçue de DataPass',
  'habilitation.webhook_updated': 'Habilitation mise à jour par DataPass',
  'credentials.franceconnect.created': 'Identifiants FranceConnect enregistrés',
  'credentials.franceconnect.updated': 'Identifiants FranceConnect remplacés',
  'credentials.franceconnect.deleted': 'Identifiants FranceConnect révoqués',
  'credentials.api_particulier.created': 'Jeton API Particulier enregistré',
  'credentials.api_particulier.updated': 'Jeton API Particulier remplacé',
  'credentials.api_particulier.deleted': 'Jeton API Particulier révoqué',
  'onboarding.stage_changed': 'Changement d’étape',
  'onboarding.case_updated': 'Suivi du dossier modifié',
  'onboarding.comment_added': 'Commentaire ajouté',
  'onboarding.settings_updated': 'Réglages de l’éditeur modifiés',
  'qualification.item_updated': 'Vérification de recette enregistrée',
  'qualification.robot_result': 'Vérification automatique de recette',
  'qualification.robot_run_requested': 'Passage du robot de qualification demandé',
  'api_particulier.batch.created': 'Lot de dossiers envoyé à API Particulier',
  'api_token.created': 'Jeton d’API créé',
  'api_token.revoked': 'Jeton d’API révoqué',
  'secrets.rotated': 'Secrets chiffrés avec une nouvelle clé',
  'user.invited': 'Compte invité',
  'user.invitation_renewed': 'Invitation renvoyée',
  'user.activated': 'Compte activé',
  'user.totp_activated': 'Application d’authentification configurée',
  'user.logged_in': 'Connexion',
  'user.locked': 'Compte bloqué après des échecs de connexion',
  'user.login_attack_alerted': 'Alerte : série d’échecs de connexion',
  'user.password_changed': 'Mot de passe changé',
  'user.disabled': 'Compte désactivé',
  'user.enabled': 'Compte réactivé',
  'user.role_changed': 'Rôle changé',
  'user.totp_reset': 'Application d’authentification réinitialisée',
  'user.notification_preferences_updated': 'Préférences de notification modifiées',
  'citizen.created': 'Compte usager créé',
  'citizen.deleted': 'Compte usager supprimé',
  'citizen.franceconnect_linked': 'Compte usager lié à FranceConnect',
  'citizen.profile_updated': 'Profil usager modifié',
  'citizen.reconciliation_rejected': 'Liaison FranceConnect refusée par l’usager',
} as const satisfies Readonly<Record<string, string>>;

/** Every action the platform may write to the audit log. */
export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Readonly<Record<string, string>>)[action] ?? 'Autre action';
}

/** Who acted, as the journal names them. */
export const AUDIT_ACTOR_LABELS: Readonly<Record<string, string>> = {
  staff: 'équipe de l’éditeur',
  client_admin: 'administrateur du client',
  api_token: 'jeton d’API',
  system: 'plateforme',
  citizen: 'usager',
  datapass: 'DataPass',
};

/** The journal's filter « type d'action »: the families of actions, by the prefix they share. */
export const AUDIT_KINDS = [
  { prefix: 'tenant.', label: 'Fiche du client et environnements' },
  { prefix: 'habilitation.', label: 'Habilitations DataPass' },
  { prefix: 'credentials.', label: 'Identifiants et jetons' },
  { prefix: 'onboarding.', label: 'Suivi du dossier et commentaires' },
  { prefix: 'qualification.', label: 'Recette et qualification' },
  { prefix: 'api_particulier.', label: 'API Particulier' },
  { prefix: 'user.', label: 'Comptes de la console' },
  { prefix: 'api_token.', label: 'Jetons d’API' },
  { prefix: 'secrets.', label: 'Clés de chiffrement' },
  { prefix: 'citizen.', label: 'Comptes des usagers' },
] as const;

const ROLE_LABELS: Readonly<Record<string, string>> = { admin: 'administrateur', onboarding_agent: 'chargé d’intégration', read_only: 'lecture seule' };
const STATUS_LABELS: Readonly<Record<string, string>> = {
  active: 'actif',
  suspended: 'suspendu',
  invited: 'invité',
  disabled: 'désactivé',
  locked: 'bloqué',
  passed: 'conforme',
  failed: 'non conforme',
  to_check: 'à vérifier',
  not_applicable: 'non applicable',
};
const ENVIRONMENT_LABELS: Readonly<Record<string, string>> = { ...API_PARTICULIER_ENVIRONMENT_LABELS, ...FRANCECONNECT_ENVIRONMENT_LABELS };

type Formatter = (value: unknown) => string;

const text: Formatter = (value) => formatValue(value);
const mapped =
  (labels: Readonly<Record<string, string>>): Formatter =>
  (value) =>
    typeof value === 'string' ? (labels[value] ?? value) : formatValue(value);
const stage: Formatter = (value) => (isOnboardingStage(value) ? ONBOARDING_STAGE_LABELS[value] : formatValue(value));
const habilitationState: Formatter = (value) => (isHabilitationState(value) ? HABILITATION_STATE_LABELS[value] : formatValue(value));
const scopes: Formatter = (value) =>
  Array.isArray(value)
    ? value
        .map((scope) => {
          if (typeof scope !== 'string') return formatValue(scope);
          const api = apiForScope(scope);
          if (api) return API_PARTICULIER_CATALOGUE[api].scopes.find((s) => s.scope === scope)?.label ?? scope;
          return (FRANCECONNECT_SCOPE_LABELS as Readonly<Record<string, string>>)[scope] ?? scope;
        })
        .join(', ')
    : formatValue(value);
const modalities: Formatter = (value) =>
  Array.isArray(value) ? value.map((m) => (typeof m === 'string' && m in CALL_MODALITY_INFO ? CALL_MODALITY_INFO[m as CallModality].label : formatValue(m))).join(', ') : formatValue(value);
const stages: Formatter = (value) => (Array.isArray(value) ? value.map(stage).join(', ') : formatValue(value));
const api: Formatter = (value) => (isApiParticulierApi(value) ? API_PARTICULIER_CATALOGUE[value].label : formatValue(value));
const changed: Formatter = (value) => (value === true || value === 'changed' ? 'oui' : formatValue(value));
const secret: Formatter = () => 'remplacé (jamais affiché)';

/** Every change key the platform writes, with its French label and how its values read. */
export const AUDIT_FIELDS: Readonly<Record<string, { readonly label: string; readonly format?: Formatter }>> = {
  name: { label: 'Nom' },
  siret: { label: 'SIRET' },
  slug: { label: 'Adresse du portail' },
  nameSource: { label: 'Origine du nom', format: mapped({ manual: 'saisi', directory: 'annuaire des entreprises' }) },
  status: { label: 'Statut', format: mapped(STATUS_LABELS) },
  branding: { label: 'Apparence du portail' },
  logo: { label: 'Logo du portail' },
  technicalContact: { label: 'Contact technique' },
  administrativeContact: { label: 'Contact administratif' },
  connexionEnabled: { label: 'Connexion avec FranceConnect' },
  dataRetrievalEnabled: { label: 'Récupération de données' },
  dataRetrievalAtLogin: { label: 'Récupération des données à la connexion' },
  legalCategoryCode: { label: 'Catégorie juridique' },
  directoryWarnings: { label: 'Avertissements de l’annuaire' },
  address: { label: 'Adresse' },
  demo: { label: 'Donnée de démonstration' },
  product: { label: 'Produit', format: mapped({ franceconnect: 'FranceConnect', api_particulier: 'API Particulier' }) },
  environment: { label: 'Environnement', format: mapped(ENVIRONMENT_LABELS) },
  reason: { label: 'Motif' },
  ok: { label: 'Résultat', format: (v) => (v === true ? 'réussi' : v === false ? 'échec' : formatValue(v)) },
  failed: { label: 'Étapes en échec' },
  state: { label: 'État', format: habilitationState },
  dataPassId: { label: 'Demande DataPass' },
  dataPassPublicId: { label: 'Référence publique DataPass' },
  dataPassEvent: { label: 'Évènement DataPass' },
  scopes: { label: 'Données', format: scopes },
  modalities: { label: 'Modalités d’appel', format: modalities },
  note: { label: 'Note' },
  clientId: { label: 'client_id' },
  issuerUrl: { label: 'Adresse du fournisseur' },
  signingAlgorithm: { label: 'Algorithme de signature' },
  clientSecretReplaced: { label: 'client_secret', format: secret },
  tokenReplaced: { label: 'Jeton', format: secret },
  expiresOn: { label: 'Expiration' },
  expiresAt: { label: 'Expiration' },
  stage: { label: 'Étape', format: stage },
  kind: { label: 'Nature du changement', format: (v) => (v === 'advance' || v === 'skip' || v === 'rollback' ? moveLabel(v, null, 'created') : formatValue(v)) },
  passedThrough: { label: 'Étapes franchies', format: stages },
  assigneeId: { label: 'Responsable' },
  dsFileNumber: { label: 'Dossier Démarches Simplifiées' },
  bodyLength: { label: 'Longueur du commentaire (caractères)' },
  visibility: { label: 'Visibilité', format: mapped(COMMENT_VISIBILITY_LABELS) },
  editorQualifiedConnexion: { label: 'Éditeur qualifié pour la connexion' },
  editorQualifiedDataRetrieval: { label: 'Éditeur qualifié pour la récupération de données' },
  evidenceText: { label: 'Preuve' },
  evidenceUrl: { label: 'Lien vers la preuve' },
  itemId: { label: 'Vérification' },
  verdict: { label: 'Verdict' },
  runId: { label: 'Passage du robot' },
  api: { label: 'API', format: api },
  modality: { label: 'Modalité d’appel', format: (v) => (typeof v === 'string' && v in CALL_MODALITY_INFO ? CALL_MODALITY_INFO[v as CallModality].label : formatValue(v)) },
  fileName: { label: 'Fichier' },
  totalLines: { label: 'Lignes du fichier' },
  accepted: { label: 'Lignes acceptées' },
  rejected: { label: 'Lignes rejetées' },
  prefix: { label: 'Début du jeton' },
  revoked: { label: 'Révoqué' },
  userId: { label: 'Compte' },
  email: { label: 'Adresse électronique' },
  displayName: { label: 'Nom affiché' },
  role: { label: 'Rôle', format: mapped(ROLE_LABELS) },
  password: { label: 'Mot de passe', format: changed },
  method: { label: 'Moyen', format: mapped({ password: 'mot de passe', franceconnect: 'FranceConnect', reset_link: 'lien de réinitialisation' }) },
  factors: { label: 'Facteurs', format: mapped({ 'password+totp': 'mot de passe et code à usage unique' }) },
  totpEnabled: { label: 'Application d’authentification' },
  sessionsRevoked: { label: 'Sessions fermées' },
  apiTokensRevoked: { label: 'Jetons d’API révoqués' },
  failedPasswords: { label: 'Mots de passe erronés' },
  windowMinutes: { label: 'Sur (minutes)' },
  lockedForMinutes: { label: 'Bloqué pour (minutes)' },
  consecutiveFailures: { label: 'Échecs consécutifs' },
  emailConfirmed: { label: 'Adresse confirmée' },
  fields: { label: 'Champs modifiés' },
  linkId: { label: 'Liaison' },
  reconciliation: { label: 'Rapprochement', format: mapped({ signup: 'à l’inscription', automatic: 'automatique', confirmed: 'confirmé par l’usager' }) },
  reconciliationId: { label: 'Rapprochement' },
  activeKeyId: { label: 'Clé de chiffrement' },
  columns: { label: 'Colonnes rechiffrées' },
};

/** One line of a journal entry: what changed, in French. */
export interface AuditDetail {
  readonly label: string;
  readonly text: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A value as people read it: oui/non, French dates, lists; `—` for none. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (value === true) return 'oui';
  if (value === false) return 'non';
  if (typeof value === 'number') return value.toLocaleString('fr-FR');
  if (typeof value === 'string') {
    if (ISO_DATE.test(value)) return `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`;
    if (ISO_INSTANT.test(value)) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
    }
    return value;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'aucun' : value.map(formatValue).join(', ');
  return 'modifié';
}

function isBeforeAfter(value: unknown): value is { before?: unknown; after?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === 'before' || k === 'after') && Object.keys(value).length > 0;
}

/**
 * What an audit row's `changes` says, line by line: « Étape : Client créé → Habilitations demandées »,
 * « Environnement : Production ». A key without a label reads « Autre détail », never its code.
 */
export function describeAuditChanges(changes: Readonly<Record<string, unknown>>): AuditDetail[] {
  return Object.entries(changes).map(([key, value]) => {
    const field = AUDIT_FIELDS[key];
    const format = field?.format ?? text;
    const label = field?.label ?? 'Autre détail';
    if (isBeforeAfter(value)) {
      const has = (k: 'before' | 'after'): boolean => Object.prototype.hasOwnProperty.call(value, k) && value[k] !== null && value[k] !== undefined;
      if (has('before') && has('after')) return { label, text: `${format(value.before)} → ${format(value.after)}` };
      if (has('after')) return { label, text: format(value.after) };
      if (has('before')) return { label, text: `${format(value.before)} → —` };
      return { label, text: '—' };
    }
    return { label, text: format(value) };
  });
}
