import { defineComponent, reactive, type PropType } from 'vue';
import { credentials } from '../../api/endpoints';
import type { Credentials, FranceConnectCredential, FranceConnectEnvironment, FranceConnectUris, Tenant } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SelectField } from '../../components/fields/SelectField';
import { TextField } from '../../components/fields/TextField';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { useFormState } from '../../state/form';
import { invalidate, reload, useResource } from '../../state/resource';
import { canStaffWrite, mayWriteEnvironment } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';

export const FC_ENVIRONMENT_LABELS: Readonly<Record<FranceConnectEnvironment, string>> = {
  sandbox: 'Intégration (bac à sable FranceConnect)',
  production: 'Production',
  custom: 'Bac à sable de la plateforme',
};

/** The two URLs to declare in FranceConnect's partner space, each with a copy button. */
const DeclaredUris = defineComponent({
  name: 'DeclaredUris',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const key = () => `fc-uris:${props.tenantId}`;
    const uris = useResource<FranceConnectUris>(key, () => credentials.franceConnectUris(props.tenantId), 10 * 60_000);
    return () => {
      const state = uris();
      return (
        <section class="card" aria-labelledby="fc-uris-titre">
          <h3 id="fc-uris-titre">Adresses à déclarer dans l’espace partenaires de FranceConnect</h3>
          <p>Déclarez ces deux adresses, exactement, pour chaque environnement (intégration et production) du fournisseur de service.</p>
          {state?.data ? (
            <>
              <p class="label" id="uri-redirection-libelle">
                URL de redirection de connexion
              </p>
              <div class="copy-row">
                <span class="code" id="uri-redirection" data-testid="redirect-uri">
                  {state.data.redirectUri}
                </span>
                <CopyButton value={state.data.redirectUri} label="Copier l’URL de redirection de connexion" id="copier-uri-redirection" />
              </div>
              <p class="label" id="uri-deconnexion-libelle">
                URL de redirection de déconnexion
              </p>
              <div class="copy-row">
                <span class="code" id="uri-deconnexion" data-testid="post-logout-uri">
                  {state.data.postLogoutRedirectUri}
                </span>
                <CopyButton value={state.data.postLogoutRedirectUri} label="Copier l’URL de redirection de déconnexion" id="copier-uri-deconnexion" />
              </div>
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** One environment's client: what is stored (secret masked), and the form to store or replace it. */
const EnvironmentCredentials = defineComponent({
  name: 'EnvironmentCredentials',
  props: {
    tenantId: { type: String, required: true },
    environment: { type: String as PropType<FranceConnectEnvironment>, required: true },
    stored: { type: Object as PropType<FranceConnectCredential | null>, default: null },
  },
  setup(props) {
    const prefix = `fc-${props.environment}`;
    const form = reactive({ clientId: props.stored?.clientId ?? '', clientSecret: '', signingAlgorithm: props.stored?.signingAlgorithm ?? 'ES256' });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['clientId'] = form.clientId.trim() === '' ? 'Indiquez le client_id fourni par FranceConnect.' : undefined;
      state.errors['clientSecret'] = !props.stored && form.clientSecret === '' ? 'Indiquez le client_secret fourni par FranceConnect.' : undefined;
      if (await state.focusFirstError(['clientId', 'clientSecret'])) return;
      await state.run(async () => {
        const saved = await credentials.putFranceConnect(props.tenantId, props.environment, {
          clientId: form.clientId.trim(),
          ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
          signingAlgorithm: form.signingAlgorithm === 'RS256' ? 'RS256' : 'ES256',
          ...(props.stored ? { version: props.stored.version } : {}),
        });
        // Write-only: the secret leaves the page as soon as it is stored.
        form.clientSecret = '';
        void reload(`credentials:${props.tenantId}`);
        invalidate(`case:${props.tenantId}`, `audit:${props.tenantId}`, 'pipeline', 'cases:');
        return `Identifiants « ${FC_ENVIRONMENT_LABELS[props.environment]} » enregistrés (secret ${saved.clientSecret.masked ?? 'masqué'}).`;
      });
    }

    return () => {
      const c = props.stored;
      const writable = mayWriteEnvironment(props.environment);
      return (
        <section class="card" aria-labelledby={`${prefix}-titre`} data-testid={`fc-credentials-${props.environment}`}>
          <h3 id={`${prefix}-titre`}>{FC_ENVIRONMENT_LABELS[props.environment]}</h3>
          {c ? (
            <dl class="definition-list">
              <dt>client_id</dt>
              <dd>
                <span class="code">{c.clientId}</span>
              </dd>
              <dt>client_secret</dt>
              <dd data-testid="masked-secret">
                {c.clientSecret.status === 'ok' ? (
                  <span class="code">{c.clientSecret.masked}</span>
                ) : (
                  <span class="field-error">illisible avec les clés actuelles : saisissez-le à nouveau</span>
                )}
              </dd>
              <dt>Signature</dt>
              <dd>{c.signingAlgorithm}</dd>
              {c.issuerUrl ? (
                <>
                  <dt>Émetteur</dt>
                  <dd>
                    <span class="code">{c.issuerUrl}</span>
                  </dd>
                </>
              ) : null}
              <dt>Mis à jour le</dt>
              <dd>{formatDateTime(c.updatedAt)}</dd>
            </dl>
          ) : (
            <p class="muted">Aucun identifiant enregistré.</p>
          )}
          {writable && props.environment !== 'custom' ? (
            <form novalidate onSubmit={(e: Event) => void save(e)} aria-label={`Enregistrer les identifiants ${FC_ENVIRONMENT_LABELS[props.environment]}`}>
              <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
              <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['clientId', 'clientSecret']} title="Les identifiants n’ont pas été enregistrés" />
              <div class="grid-2">
                <TextField id={`${prefix}-clientId`} label="client_id" required autocomplete="off" maxlength={256} modelValue={form.clientId} onUpdate={(v) => (form.clientId = v)} error={state.errors['clientId']} />
                <TextField
                  id={`${prefix}-clientSecret`}
                  label="client_secret"
                  type="password"
                  autocomplete="new-password"
                  required={!c}
                  maxlength={512}
                  hint={c ? 'Laissez vide pour conserver le secret enregistré. Il ne sera plus jamais affiché en clair.' : 'Il ne sera plus jamais affiché en clair.'}
                  modelValue={form.clientSecret}
                  onUpdate={(v) => (form.clientSecret = v)}
                  error={state.errors['clientSecret']}
                />
                <SelectField
                  id={`${prefix}-signingAlgorithm`}
                  label="Algorithme de signature"
                  options={[
                    { value: 'ES256', label: 'ES256 (recommandé)' },
                    { value: 'RS256', label: 'RS256' },
                  ]}
                  modelValue={form.signingAlgorithm}
                  onUpdate={(v) => (form.signingAlgorithm = v === 'RS256' ? 'RS256' : 'ES256')}
                />
              </div>
              <Button type="submit" label="Enregistrer les identifiants" loading={state.busy.value} />
            </form>
          ) : null}
        </section>
      );
    };
  },
});

/** « Créer un client de bac à sable »: a try-out client at the platform's sandbox FranceConnect. */
const SandboxClient = defineComponent({
  name: 'SandboxClient',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const state = useFormState('fc-bac-a-sable-probleme');
    async function create(): Promise<void> {
      await state.run(async () => {
        const saved = await credentials.createSandboxClient(props.tenantId);
        await reload(`credentials:${props.tenantId}`);
        invalidate(`audit:${props.tenantId}`);
        return `Client de bac à sable créé (client_id ${saved.clientId}) : le portail du client peut être essayé avec FranceConnect dès maintenant.`;
      });
    }
    return () => (
      <section class="card" aria-labelledby="fc-bac-a-sable-titre">
        <h3 id="fc-bac-a-sable-titre">Essayer le portail avec le bac à sable</h3>
        <p>
          Crée un client auprès du FranceConnect de démonstration de la plateforme, avec les adresses ci-dessus, et l’enregistre comme environnement « {FC_ENVIRONMENT_LABELS.custom} ». Chaque
          création remplace le client précédent.
        </p>
        <StatusMessage text={state.done.value} id="fc-bac-a-sable-statut" />
        <ProblemSummary id="fc-bac-a-sable-probleme" problem={state.problem.value} title="Le client de bac à sable n’a pas été créé" />
        <Button type="button" id="creer-client-bac-a-sable" label="Créer un client de bac à sable" severity="secondary" loading={state.busy.value} onClick={() => void create()} />
      </section>
    );
  },
});

/** The « FranceConnect » section. */
export default defineComponent({
  name: 'FranceConnectSection',
  props: { tenant: { type: Object as PropType<Tenant>, required: true } },
  setup(props) {
    const key = () => `credentials:${props.tenant.id}`;
    const vault = useResource<Credentials>(key, () => credentials.list(props.tenant.id), 0);
    return () => {
      const state = vault();
      const stored = state?.data?.franceconnect ?? [];
      const environments: FranceConnectEnvironment[] = ['sandbox', 'production', ...(stored.some((c) => c.environment === 'custom') ? (['custom'] as const) : [])];
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            FranceConnect
          </SectionTitle>
          {!props.tenant.connexionEnabled ? (
            <Message severity="info" closable={false}>
              {{ default: () => 'La connexion avec FranceConnect n’est pas activée pour ce client (voir « Identité et contacts »).' }}
            </Message>
          ) : null}
          <DeclaredUris tenantId={props.tenant.id} />
          <h3>Identifiants du fournisseur de service</h3>
          <p class="muted">Les secrets sont chiffrés et ne sont jamais réaffichés : seuls leurs derniers caractères apparaissent.</p>
          {state?.data ? (
            environments.map((environment) => (
              <EnvironmentCredentials key={environment} tenantId={props.tenant.id} environment={environment} stored={stored.find((c) => c.environment === environment) ?? null} />
            ))
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
          {canStaffWrite() ? <SandboxClient tenantId={props.tenant.id} /> : null}
        </section>
      );
    };
  },
});
