import { CredentialMarkers } from '../../components/EnvironmentBadge';
import {
  API_PARTICULIER_CATALOGUE,
  API_PARTICULIER_ENVIRONMENT_LABELS,
  API_PARTICULIER_ENVIRONMENTS,
  CALL_MODALITY_INFO,
} from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import { credentials } from '../../api/endpoints';
import type { ApiParticulierCredentialView, CredentialsView, TenantView } from '@fcplat/contract';
import type { ApiParticulierEnvironment } from '@fcplat/domain';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { TextField } from '../../components/fields/TextField';
import { formatCalendarDate, formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { useFormState } from '../../state/form';
import { reload, useResource } from '../../state/resource';
import { canStaffWrite, mayWriteEnvironment } from '../../state/session';
import { ApiParticulierActivity } from './ApiParticulierActivity';
import { SectionTitle } from '../../components/SectionTitle';
import { LiveEnvironmentCard } from './LiveEnvironmentCard';
import { chooseLiveHint, productView, refreshEnvironments, useLiveEnvironments } from './live-environment/environments';
import { RevokeCredentials } from './RevokeCredentials';
import { enabledApis } from './enabled-apis';
import { habilitationsKey, useHabilitations } from './habilitations/use-habilitations';
import { bound } from '../../components/fields/shared';

const ENVIRONMENT_LABELS = API_PARTICULIER_ENVIRONMENT_LABELS;

/** What the validated API Particulier habilitation allows: APIs, data, modalities. */
const EnabledApis = defineComponent({
  name: 'EnabledApis',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const list = useHabilitations(() => props.tenant.id);
    return () => {
      const state = list();
      const habilitation = state?.data?.items.find((h) => h.product === 'api_particulier') ?? null;
      const apis = enabledApis(habilitation);
      return (
        <section class="card" aria-labelledby="apip-apis-titre">
          <h3 id="apip-apis-titre">API et modalités ouvertes</h3>
          <p>
            Récupération de données sur le portail :{' '}
            <strong>{props.tenant.dataRetrievalEnabled ? (props.tenant.dataRetrievalAtLogin ? 'activée, dès la connexion avec FranceConnect' : 'activée') : 'désactivée'}</strong>.
          </p>
          {state?.data ? (
            apis.length === 0 ? (
              <p class="muted" data-testid="enabled-apis">
                {habilitation ? `Habilitation API Particulier : ${habilitation.stateLabel.toLowerCase()} ; aucune API n’est ouverte tant qu’elle n’est pas validée.` : 'Aucune habilitation API Particulier enregistrée.'}
              </p>
            ) : (
              <ul data-testid="enabled-apis">
                {apis.map(({ api, scopes, modalities }) => (
                  <li key={api}>
                    <strong>{API_PARTICULIER_CATALOGUE[api].label}</strong> ({API_PARTICULIER_CATALOGUE[api].provider}) : {scopes.join(', ')}.{' '}
                    {modalities.length > 0 ? `Appel par : ${modalities.map((m) => CALL_MODALITY_INFO[m].label).join(', ')}.` : 'Aucune modalité d’appel habilitée pour cette API.'}
                  </li>
                ))}
              </ul>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(habilitationsKey(props.tenant.id))} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** One environment's token: masked, with its expiry; the form to store or replace it. */
const TokenCard = defineComponent({
  name: 'TokenCard',
  props: {
    tenantId: { type: String, required: true },
    environment: { type: String as PropType<ApiParticulierEnvironment>, required: true },
    stored: { type: Object as PropType<ApiParticulierCredentialView | null>, default: null },
    /** This environment is the live one (its token cannot be revoked). */
    live: { type: Boolean, default: false },
    /** A live environment is chosen (else, after saving, the person is told to choose one). */
    liveChosen: { type: Boolean, default: true },
  },
  setup(props) {
    const prefix = `apip-${props.environment}`;
    const form = reactive({ token: '', receivedOn: '', expiresOn: '' });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['token'] = !props.stored && form.token === '' ? 'Collez le jeton reçu d’API Particulier.' : undefined;
      if (await state.focusFirstError(['token'])) return;
      await state.run(async () => {
        const saved = await credentials.putApiParticulier(props.tenantId, props.environment, {
          ...(form.token ? { token: form.token } : {}),
          ...(form.receivedOn ? { receivedOn: form.receivedOn } : {}),
          ...(form.expiresOn ? { expiresOn: form.expiresOn } : {}),
          ...(props.stored ? { version: props.stored.version } : {}),
        });
        Object.assign(form, { token: '', receivedOn: '', expiresOn: '' });
        refreshEnvironments(props.tenantId);
        const hint = props.liveChosen ? '' : ` ${chooseLiveHint(canStaffWrite())}`;
        return `Jeton « ${ENVIRONMENT_LABELS[props.environment]} » enregistré (${saved.token.masked ?? 'masqué'}), valable jusqu’au ${formatCalendarDate(saved.expiresOn)}.${hint}`;
      });
    }

    return () => {
      const c = props.stored;
      return (
        <section class="card" aria-labelledby={`${prefix}-titre`} data-testid={`apip-token-${props.environment}`}>
          <h4 id={`${prefix}-titre`}>
            {ENVIRONMENT_LABELS[props.environment]}
            <CredentialMarkers live={props.live} standIn={c?.standIn ?? false} />
          </h4>
          {c ? (
            <>
              <dl class="definition-list">
                <dt>Jeton</dt>
                <dd data-testid="masked-token">
                  {c.token.status === 'ok' ? <span class="code">{c.token.masked}</span> : <span class="field-error">illisible avec les clés actuelles : saisissez-le à nouveau</span>}
                </dd>
                <dt>Reçu le</dt>
                <dd>{formatCalendarDate(c.receivedOn)}</dd>
                <dt>Expire le</dt>
                <dd>
                  {formatCalendarDate(c.expiresOn)}{' '}
                  {c.expired ? (
                    <span class="badge badge--overdue">Expiré</span>
                  ) : c.expiryWarning ? (
                    <span class="badge badge--overdue">Expire dans {c.expiresInDays} jour{c.expiresInDays > 1 ? 's' : ''}</span>
                  ) : (
                    <span class="badge badge--ok">Valable encore {c.expiresInDays} jours</span>
                  )}
                </dd>
                <dt>Mis à jour le</dt>
                <dd>{formatDateTime(c.updatedAt)}</dd>
              </dl>
              {c.expired || c.expiryWarning ? (
                <Message severity="warn" closable={false}>
                  {{ default: () => 'Demandez un nouveau jeton à API Particulier avant l’expiration, puis enregistrez-le ici : les appels échoueront après cette date.' }}
                </Message>
              ) : null}
            </>
          ) : (
            <p class="muted">Aucun jeton enregistré.</p>
          )}
          {mayWriteEnvironment(props.environment) && props.environment !== 'custom' ? (
            <form novalidate onSubmit={(e: Event) => void save(e)} aria-label={`Enregistrer le jeton ${ENVIRONMENT_LABELS[props.environment]}`}>
              <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
              <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['token', 'receivedOn', 'expiresOn']} title="Le jeton n’a pas été enregistré" />
              <TextField
                id={`${prefix}-token`}
                label="Jeton"
                type="password"
                autocomplete="new-password"
                required={!c}
                maxlength={8192}
                hint={`Le jeton JWT reçu d’API Particulier (trois parties séparées par des points). ${c ? 'Laissez vide pour ne changer que les dates. Le jeton ne sera plus jamais affiché en clair.' : 'Il ne sera plus jamais affiché en clair.'}`}
                {...bound(form, 'token', state.errors['token'])}
              />
              <div class="grid-2">
                <TextField id={`${prefix}-receivedOn`} label="Reçu le" type="date" hint="Par défaut : aujourd’hui." {...bound(form, 'receivedOn', state.errors['receivedOn'])} />
                <TextField
                  id={`${prefix}-expiresOn`}
                  label="Expire le"
                  type="date"
                  hint="Par défaut : la date d’expiration inscrite dans le jeton, sinon 18 mois après la réception. Une date qui la contredit est refusée."
                  {...bound(form, 'expiresOn', state.errors['expiresOn'])}
                />
              </div>
              <Button type="submit" label="Enregistrer le jeton" loading={state.busy.value} />
            </form>
          ) : null}
          {canStaffWrite() ? (
            <RevokeCredentials tenantId={props.tenantId} product="api_particulier" environment={props.environment} label={ENVIRONMENT_LABELS[props.environment]} stored={c !== null} live={props.live} />
          ) : null}
        </section>
      );
    };
  },
});

/** The « API Particulier » section: tokens with their expiry, and what the habilitation opens. */
export default defineComponent({
  name: 'ApiParticulierSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `credentials:${props.tenant.id}`;
    const vault = useResource<CredentialsView>(key, () => credentials.list(props.tenant.id), 0);
    const habilitationList = useHabilitations(() => props.tenant.id);
    const sandbox = useFormState('apip-bac-a-sable-probleme', 'apip-bac-a-sable-');
    const live = useLiveEnvironments(() => props.tenant.id);

    async function mintSandboxToken(): Promise<void> {
      sandbox.clear();
      await sandbox.run(async () => {
        const saved = await credentials.createSandboxApiParticulierToken(props.tenant.id);
        refreshEnvironments(props.tenant.id);
        return `Jeton de bac à sable créé (${saved.token.masked ?? 'masqué'}) et enregistré comme « ${ENVIRONMENT_LABELS.sandbox} ». Pour que les appels du client y partent, mettez « ${ENVIRONMENT_LABELS.sandbox} » en service ci-dessus.`;
      });
    }

    return () => {
      const state = vault();
      const habilitation = habilitationList()?.data?.items.find((h) => h.product === 'api_particulier') ?? null;
      const stored = state?.data?.apiParticulier ?? [];
      const envs = live()?.data;
      const liveView = envs ? productView(envs, 'api_particulier') : null;
      // `custom` (a stand-in at a URL of the platform's choosing) only once something is stored for it.
      const environments = API_PARTICULIER_ENVIRONMENTS.filter((e) => e !== 'custom' || stored.some((c) => c.environment === 'custom'));
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            API Particulier
          </SectionTitle>
          <LiveEnvironmentCard tenantId={props.tenant.id} product="api_particulier" />
          <EnabledApis tenant={props.tenant} />
          <section class="card" aria-labelledby="apip-jetons-titre">
            <h3 id="apip-jetons-titre">Jetons d’accès</h3>
            <p class="muted">Chaque appel à API Particulier porte le jeton de l’environnement et le SIRET du client. Les jetons sont chiffrés et ne sont jamais réaffichés.</p>
            {canStaffWrite() ? (
              <div class="sandbox-action">
                <StatusMessage text={sandbox.done.value} id="apip-bac-a-sable-statut" />
                <ProblemSummary id="apip-bac-a-sable-probleme" problem={sandbox.problem.value} fields={[]} title="Le jeton de bac à sable n’a pas été créé" />
                <Button type="button" severity="secondary" outlined label="Créer un jeton de bac à sable" loading={sandbox.busy.value} onClick={() => void mintSandboxToken()} />
              </div>
            ) : null}
            {state?.data ? (
              environments.map((environment) => (
                <TokenCard
                  key={environment}
                  tenantId={props.tenant.id}
                  environment={environment}
                  stored={stored.find((c) => c.environment === environment) ?? null}
                  live={environment === liveView?.live?.environment}
                  liveChosen={liveView ? liveView.live !== null : true}
                />
              ))
            ) : state?.error ? (
              <ErrorState error={state.error} onRetry={() => void reload(key())} />
            ) : (
              <LoadingState />
            )}
          </section>
          <ApiParticulierActivity tenant={props.tenant} habilitation={habilitation} />
        </section>
      );
    };
  },
});
