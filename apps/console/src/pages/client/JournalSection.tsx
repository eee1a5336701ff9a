import { defineComponent, ref, type PropType } from 'vue';
import { audit } from '../../api/endpoints';
import type { AuditEntryView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { reload, useResource } from '../../state/resource';
import { SectionTitle } from '../../components/SectionTitle';

const PAGE_SIZE = 20;

/** French wording of the audit actions (apps/api writes them); unknown ones show their code. */
const ACTION_LABELS: Readonly<Record<string, string>> = {
  'tenant.created': 'Client créé',
  'tenant.updated': 'Fiche modifiée',
  'tenant.directory_refreshed': 'Annuaire des entreprises consulté à nouveau',
  'habilitation.recorded': 'Habilitation enregistrée',
  'habilitation.updated': 'Habilitation mise à jour',
  'habilitation.webhook_recorded': 'Habilitation reçue de DataPass',
  'habilitation.webhook_updated': 'Habilitation mise à jour par DataPass',
  'credentials.franceconnect.created': 'Identifiants FranceConnect enregistrés',
  'credentials.franceconnect.updated': 'Identifiants FranceConnect remplacés',
  'credentials.franceconnect.deleted': 'Identifiants FranceConnect supprimés',
  'credentials.api_particulier.created': 'Jeton API Particulier enregistré',
  'credentials.api_particulier.updated': 'Jeton API Particulier remplacé',
  'credentials.api_particulier.deleted': 'Jeton API Particulier supprimé',
  'tenant.live_environment.changed': 'Environnement en service changé',
  'tenant.live_environment.checked': 'Configuration FranceConnect testée',
  'onboarding.stage_changed': 'Changement d’étape',
  'onboarding.case_updated': 'Suivi du dossier modifié',
  'onboarding.comment_added': 'Commentaire ajouté',
  'qualification.item_updated': 'Vérification de recette enregistrée',
  'qualification.robot_result': 'Vérification automatique de recette',
  'user.invited': 'Administrateur invité',
  'user.invitation_renewed': 'Invitation renvoyée',
  'user.activated': 'Compte activé',
  'user.totp_activated': 'Application d’authentification configurée',
  'user.logged_in': 'Connexion',
  'user.locked': 'Compte bloqué après des échecs de connexion',
  'user.password_changed': 'Mot de passe changé',
  'user.disabled': 'Compte désactivé',
  'user.enabled': 'Compte réactivé',
  'user.totp_reset': 'Application d’authentification réinitialisée',
  'citizen.created': 'Compte usager créé',
  'citizen.deleted': 'Compte usager supprimé',
  'citizen.franceconnect_linked': 'Compte usager lié à FranceConnect',
  'citizen.profile_updated': 'Profil usager modifié',
  'citizen.reconciliation_rejected': 'Liaison FranceConnect refusée par l’usager',
};

const ACTOR_TYPES: Readonly<Record<string, string>> = {
  staff: 'équipe de l’éditeur',
  client_admin: 'administrateur du client',
  api_token: 'jeton d’API',
  system: 'plateforme',
  citizen: 'usager',
  datapass: 'DataPass',
};

/** Field names of the changes, in French where known. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'nom',
  status: 'statut',
  branding: 'apparence du portail',
  technicalContact: 'contact technique',
  administrativeContact: 'contact administratif',
  connexionEnabled: 'connexion FranceConnect',
  dataRetrievalEnabled: 'récupération de données',
  dataRetrievalAtLogin: 'récupération des données à la connexion',
  assigneeId: 'responsable',
  dsFileNumber: 'dossier Démarches Simplifiées',
  stage: 'étape',
  state: 'état',
  scopes: 'données',
  modalities: 'modalités',
  clientId: 'client_id',
  clientSecret: 'client_secret',
  token: 'jeton',
  expiresOn: 'expiration',
};

function changedFields(changes: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(changes);
  return keys.length === 0 ? '' : keys.map((k) => FIELD_LABELS[k] ?? k).join(', ');
}

function actorOf(entry: AuditEntryView): string {
  const type = ACTOR_TYPES[entry.actor.type] ?? entry.actor.type;
  return entry.actor.displayName ? `${entry.actor.displayName} (${type})` : type;
}

/** The « Journal » section: the audit log of the client, newest first. */
export default defineComponent({
  name: 'JournalSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const page = ref(1);
    const key = () => `audit:${props.tenant.id}:${page.value}`;
    const journal = useResource<Page<AuditEntryView>>(key, () => audit.forTenant(props.tenant.id, page.value, PAGE_SIZE), 0);
    return () => {
      const state = journal();
      const data = state?.data ?? null;
      const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Journal
          </SectionTitle>
          <p class="muted">Toutes les actions sur ce client, de la plus récente à la plus ancienne. Les secrets n’y figurent jamais.</p>
          {data ? (
            <div class="card">
              {data.items.length === 0 ? (
                <p class="muted">Aucune action enregistrée.</p>
              ) : (
                <ol class="timeline" data-testid="journal">
                  {data.items.map((entry) => (
                    <li key={entry.id}>
                      <div class="when">
                        {formatDateTime(entry.occurredAt)} · {actorOf(entry)}
                      </div>
                      <div>
                        <strong>{ACTION_LABELS[entry.action] ?? entry.action}</strong>
                        {changedFields(entry.changes) ? <span class="muted"> — {changedFields(entry.changes)}</span> : null}
                      </div>
                    </li>
                  ))}
                </ol>
              )}
              {pages > 1 ? (
                <nav class="actions" aria-label="Pages du journal">
                  <Button type="button" label="Plus récentes" severity="secondary" size="small" disabled={page.value <= 1} onClick={() => (page.value -= 1)} />
                  <span>
                    Page {page.value} sur {pages}
                  </span>
                  <Button type="button" label="Plus anciennes" severity="secondary" size="small" disabled={page.value >= pages} onClick={() => (page.value += 1)} />
                </nav>
              ) : null}
            </div>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement du journal…" />
          )}
        </section>
      );
    };
  },
});
