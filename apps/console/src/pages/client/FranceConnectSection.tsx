import { CredentialMarkers } from '../../components/EnvironmentBadge';
import { FRANCECONNECT_ENVIRONMENT_LABELS, FRANCECONNECT_ENVIRONMENTS } from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import { credentials } from '../../api/endpoints';
import type { CredentialsView, FranceConnectCredentialView, FranceConnectUris, TenantView } from '@fcplat/contract';
import type { FranceConnectEnvironment } from '@fcplat/domain';
import { CopyButton } from '../../components/CopyButton';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SelectField } from '../../components/fields/SelectField';
import { TextField } from '../../components/fields/TextField';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { useFormState } from '../../state/form';
import { reload, useResource } from '../../state/resource';
import { canStaffWrite, mayWriteEnvironment } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';
import { LiveEnvironmentCard } from './LiveEnvironmentCard';
import { chooseLiveHint, productView, refreshEnvironments, useLiveEnvironments } from './live-environment/environments';
import { RevokeCredentials } from './RevokeCredentials';

const FC_ENVIRONMENT_LABELS = FRANCECONNECT_ENVIRONMENT_LABELS;

/** The format of FranceConnect's client ids and secrets, said next to the fields. */
const FORMAT_HINT = '64 caractères hexadécimaux (chiffres 0-9 et lettres a-f en minuscules), tels que fournis par FranceConnect.';

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
          <p>Déclarez ces deux adresses, exactement, pour chaque environnement (bac à sable, intégration, production) du fournisseur de service.</p>
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
    stored: { type: Object as PropType<FranceConnectCredentialView | null>, default: null },
    /** This environment is the live one (its credentials cannot be revoked). */
    live: { type: Boolean, default: false },
    /** A live environment is chosen (else, after saving, the person is told to choose one). */
    liveChosen: { type: Boolean, default: true },
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
        refreshEnvironments(props.tenantId);
        // Saving never changes the live environment: say so when none is chosen yet.
        const hint = props.liveChosen ? '' : ` ${chooseLiveHint(canStaffWrite())}`;
        return `Identifiants « ${FC_ENVIRONMENT_LABELS[props.environment]} » enregistrés (secret ${saved.clientSecret.masked ?? 'masqué'}).${hint}`;
      });
    }

    return () => {
      const c = props.stored;
      const writable = mayWriteEnvironment(props.environment);
      return (
        <section class="card" aria-labelledby={`${prefix}-titre`} data-testid={`fc-credentials-${props.environment}`}>
          <h3 id={`${prefix}-titre`}>
            {FC_ENVIRONMENT_LABELS[props.environment]}
            <CredentialMarkers live={props.live} standIn={c?.standIn ?? false} />
          </h3>
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
                <TextField
                  id={`${prefix}-clientId`}
                  label="client_id"
                  required
                  autocomplete="off"
                  maxlength={256}
                  hint={FORMAT_HINT}
                  modelValue={form.clientId}
                  onUpdate={(v) => (form.clientId = v)}
                  error={state.errors['clientId']}
                />
                <TextField
                  id={`${prefix}-clientSecret`}
                  label="client_secret"
                  type="password"
                  autocomplete="new-password"
                  required={!c}
                  maxlength={512}
                  hint={`64 caractères hexadécimaux. ${c ? 'Laissez vide pour conserver le secret enregistré. Il ne sera plus jamais affiché en clair.' : 'Il ne sera plus jamais affiché en clair.'}`}
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
          {canStaffWrite() ? (
            <RevokeCredentials tenantId={props.tenantId} product="franceconnect" environment={props.environment} label={FC_ENVIRONMENT_LABELS[props.environment]} stored={c !== null} live={props.live} />
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
        refreshEnvironments(props.tenantId);
        return `Client de bac à sable créé (client_id ${saved.clientId}) et enregistré comme « ${FC_ENVIRONMENT_LABELS.custom} ». Pour que le portail l’utilise, mettez « ${FC_ENVIRONMENT_LABELS.custom} » en service ci-dessus.`;
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
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `credentials:${props.tenant.id}`;
    const vault = useResource<CredentialsView>(key, () => credentials.list(props.tenant.id), 0);
    const live = useLiveEnvironments(() => props.tenant.id);
    return () => {
      const state = vault();
      const stored = state?.data?.franceconnect ?? [];
      const envs = live()?.data;
      const liveView = envs ? productView(envs, 'franceconnect') : null;
      const liveEnvironment = liveView?.live?.environment ?? null;
      // `custom` (a stand-in provider) only once something is stored for it.
      const environments = FRANCECONNECT_ENVIRONMENTS.filter((e) => e !== 'custom' || stored.some((c) => c.environment === 'custom'));
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
          <LiveEnvironmentCard tenantId={props.tenant.id} product="franceconnect" />
          <DeclaredUris tenantId={props.tenant.id} />
          <h3>Identifiants du fournisseur de service</h3>
          <p class="muted">Les secrets sont chiffrés et ne sont jamais réaffichés : seuls leurs derniers caractères apparaissent.</p>
          {state?.data ? (
            environments.map((environment) => (
              <EnvironmentCredentials
                key={environment}
                tenantId={props.tenant.id}
                environment={environment}
                stored={stored.find((c) => c.environment === environment) ?? null}
                live={environment === liveEnvironment}
                liveChosen={liveView ? liveView.live !== null : true}
              />
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
