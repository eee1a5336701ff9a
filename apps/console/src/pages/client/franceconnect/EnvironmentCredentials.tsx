import { CredentialMarkers } from '../../../components/EnvironmentBadge';
import { defineComponent, reactive, type PropType } from 'vue';
import { credentials } from '../../../api/endpoints';
import type { FranceConnectCredentialView } from '@fcplat/contract';
import type { FranceConnectEnvironment } from '@fcplat/domain';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { TextField } from '../../../components/fields/TextField';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { canStaffWrite, mayWriteEnvironment } from '../../../state/session';
import { chooseLiveHint, refreshEnvironments } from '../live-environment/environments';
import { RevokeCredentials } from '../RevokeCredentials';
import { FC_ENVIRONMENT_LABELS, FORMAT_HINT } from './labels';
import { bound } from '../../../components/fields/shared';

/** One environment's client: what is stored (secret masked), and the form to store or replace it. */
export const EnvironmentCredentials = defineComponent({
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
                  {...bound(form, 'clientId', state.errors['clientId'])}
                />
                <TextField
                  id={`${prefix}-clientSecret`}
                  label="client_secret"
                  type="password"
                  autocomplete="new-password"
                  required={!c}
                  maxlength={512}
                  hint={`64 caractères hexadécimaux. ${c ? 'Laissez vide pour conserver le secret enregistré. Il ne sera plus jamais affiché en clair.' : 'Il ne sera plus jamais affiché en clair.'}`}
                  {...bound(form, 'clientSecret', state.errors['clientSecret'])}
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
