import { LIVE_ENVIRONMENT_PRODUCT_LABELS, LIVE_ENVIRONMENT_REASON_MIN_LENGTH, type LiveEnvironmentProduct } from '@fcplat/domain';
import { defineComponent, reactive, ref, type PropType } from 'vue';
import { liveEnvironments } from '../../api/endpoints';
import type { EnvironmentOptionView, EnvironmentsView, LiveCheckStep, LiveCheckView, ProductEnvironmentsView } from '@fcplat/contract';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { TextareaField } from '../../components/fields/TextareaField';
import { formatDateTime, formatNumericDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { useFormState } from '../../state/form';
import { invalidate, reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';

/** The resource key of a tenant's live environments (shared by the header and both tabs). */
export const environmentsKey = (tenantId: string): string => `environments:${tenantId}`;

/** The live environments of a tenant, loaded once for the header and the sections. */
export function useLiveEnvironments(tenantId: () => string) {
  // Shared by the header and the section of one page view: one request, reloaded after every change.
  return useResource<EnvironmentsView>(() => environmentsKey(tenantId()), () => liveEnvironments.view(tenantId()), 5_000);
}

/** After a change of live environment or of credentials: everything that shows them again. */
export function refreshEnvironments(tenantId: string): void {
  void reload(environmentsKey(tenantId));
  void reload(`credentials:${tenantId}`);
  invalidate(`case:${tenantId}`, `audit:${tenantId}`, 'pipeline', 'cases:');
}

/** Said after storing credentials while no live environment is chosen (saving never chooses one). */
export function chooseLiveHint(staffWriter: boolean): string {
  return staffWriter
    ? 'Choisissez l’environnement en service ci-dessus : enregistrer des identifiants n’en met aucun en service.'
    : 'L’équipe de l’éditeur choisira l’environnement en service : enregistrer des identifiants n’en met aucun en service.';
}

export function productView(view: EnvironmentsView, product: LiveEnvironmentProduct): ProductEnvironmentsView {
  return product === 'franceconnect' ? view.franceconnect : view.apiParticulier;
}

const CREDENTIAL_STATES: Readonly<Record<EnvironmentOptionView['credentials'], string>> = {
  usable: 'présents',
  missing: 'absents',
  unusable: 'inutilisables',
};

const STEP_LABELS: Readonly<Record<LiveCheckStep, string>> = {
  credentials: 'Identifiants enregistrés',
  discovery: 'Découverte du fournisseur (openid-configuration)',
  jwks: 'Clés publiques de signature (JWKS)',
  client_id: 'client_id connu, avec l’URL de redirection du portail',
  client_secret: 'client_secret accepté',
};

const STEP_STATUS: Readonly<Record<LiveCheckView['steps'][number]['status'], { icon: string; text: string }>> = {
  ok: { icon: '✓', text: 'réussi' },
  failed: { icon: '✗', text: 'échec' },
  skipped: { icon: '–', text: 'non vérifié' },
};

/** « choisi par Dominique Agent le 04/03/2026 à 10:15 », or « par la plateforme ». */
function chosenText(view: ProductEnvironmentsView): string {
  const live = view.live;
  if (!live) return '';
  return `choisi ${live.chosenBy ? `par ${live.chosenBy.name}` : 'par la plateforme'} le ${formatNumericDateTime(live.chosenAt)}`;
}

/** « Tester la configuration » of the live FranceConnect environment: the verdict and every step. */
const FranceConnectCheck = defineComponent({
  name: 'FranceConnectCheck',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const state = useFormState('fc-test-probleme');
    const report = ref<LiveCheckView | null>(null);
    async function check(): Promise<void> {
      report.value = null;
      await state.run(async () => {
        report.value = await liveEnvironments.checkFranceConnect(props.tenantId);
        invalidate(`audit:${props.tenantId}`);
        return null;
      });
    }
    return () => {
      const r = report.value;
      return (
        <div class="environment-check" data-testid="fc-check">
          <Button type="button" id="tester-configuration" label="Tester la configuration" severity="secondary" outlined loading={state.busy.value} onClick={() => void check()} />
          <p class="hint">Interroge le fournisseur d’identité de l’environnement en service avec les identifiants du client, sans usager ni session.</p>
          <ProblemSummary id="fc-test-probleme" problem={state.problem.value} title="Le test n’a pas pu être fait" />
          <div role="status" class="status-region" id="fc-test-statut">
            {r ? (
              <div data-testid="fc-check-result" data-ok={r.ok ? 'true' : 'false'}>
                <Message severity={r.ok ? 'success' : 'error'} closable={false}>
                  {{ default: () => `${r.summary} (« ${r.label} », testé le ${formatNumericDateTime(r.checkedAt)})` }}
                </Message>
                <ul class="check-steps" aria-label="Étapes du test">
                  {r.steps.map((s) => (
                    <li key={s.step} class={`check-step--${s.status}`} data-step={s.step} data-status={s.status}>
                      <span class="check-step-status">
                        <span aria-hidden="true">{STEP_STATUS[s.status].icon} </span>
                        {STEP_STATUS[s.status].text}
                      </span>{' '}
                      — <strong>{STEP_LABELS[s.step]}</strong> : {s.detail}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      );
    };
  },
});

/** The chooser of the live environment (staff who may write): radios, a reason when leaving production. */
const EnvironmentChooser = defineComponent({
  name: 'EnvironmentChooser',
  props: {
    tenantId: { type: String, required: true },
    view: { type: Object as PropType<ProductEnvironmentsView>, required: true },
  },
  setup(props) {
    const prefix = `env-${props.view.product}`;
    const form = reactive({ environment: '', reason: '' });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);
    const productLabel = LIVE_ENVIRONMENT_PRODUCT_LABELS[props.view.product];

    const selected = (): EnvironmentOptionView | null => props.view.environments.find((e) => e.environment === form.environment) ?? null;
    /** Leaving production: a reason is asked (and the API requires one). */
    const reasonNeeded = (): boolean => Boolean(props.view.live?.production && form.environment !== '' && form.environment !== props.view.live.environment) || Boolean(selected()?.switch.reasonRequired);

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      const target = selected();
      state.errors['environment'] = target ? undefined : 'Choisissez l’environnement à mettre en service.';
      state.errors['reason'] =
        target && reasonNeeded() && form.reason.trim().length < LIVE_ENVIRONMENT_REASON_MIN_LENGTH
          ? `Indiquez le motif du retour de la production (au moins ${LIVE_ENVIRONMENT_REASON_MIN_LENGTH} caractères).`
          : undefined;
      if (!target) {
        document.getElementById(`${prefix}-option-${props.view.environments.find((e) => e.switch.allowed)?.environment ?? ''}`)?.focus();
        return;
      }
      if (await state.focusFirstError(['reason'])) return;
      await state.run(async () => {
        const saved = await liveEnvironments.choose(props.tenantId, props.view.product, {
          environment: target.environment,
          ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
          ...(props.view.live ? { version: props.view.live.version } : {}),
        });
        Object.assign(form, { environment: '', reason: '' });
        refreshEnvironments(props.tenantId);
        return `${productLabel} : « ${saved.live?.label ?? target.label} » est maintenant l’environnement en service.`;
      });
    }

    return () => {
      const view = props.view;
      return (
        <form novalidate class="environment-chooser" aria-label={`Changer l’environnement ${productLabel} en service`} onSubmit={(e: Event) => void submit(e)}>
          <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
          <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['reason', 'environment']} title="L’environnement en service n’a pas changé" />
          <fieldset aria-describedby={state.errors['environment'] ? `${prefix}-environment-erreur` : undefined}>
            <legend>Mettre un autre environnement en service</legend>
            {view.environments.map((e) => {
              const id = `${prefix}-option-${e.environment}`;
              const disabled = !e.switch.allowed;
              return (
                <div key={e.environment} class={['environment-option', disabled ? 'environment-option--disabled' : null]} data-environment={e.environment}>
                  <input
                    type="radio"
                    id={id}
                    name={`${prefix}-environment`}
                    value={e.environment}
                    disabled={disabled}
                    checked={form.environment === e.environment}
                    aria-describedby={disabled && e.switch.message ? `${id}-aide` : undefined}
                    onChange={() => (form.environment = e.environment)}
                  />
                  <label for={id}>
                    {e.label}
                    {e.live ? ' (en service)' : ''}
                  </label>
                  {disabled && e.switch.message ? (
                    <p class="hint" id={`${id}-aide`}>
                      {e.switch.message}
                    </p>
                  ) : null}
                </div>
              );
            })}
            {state.errors['environment'] ? (
              <p class="field-error" id={`${prefix}-environment-erreur`}>
                <span class="visually-hidden">Erreur : </span>
                {state.errors['environment']}
              </p>
            ) : null}
          </fieldset>
          {reasonNeeded() ? (
            <TextareaField
              id={`${prefix}-reason`}
              label="Motif du retour de la production"
              required
              maxlength={500}
              hint={`Le portail du client quitte la production : dites pourquoi (au moins ${LIVE_ENVIRONMENT_REASON_MIN_LENGTH} caractères). Le motif est gardé au journal.`}
              modelValue={form.reason}
              onUpdate={(v) => (form.reason = v)}
              error={state.errors['reason']}
            />
          ) : null}
          <Button type="submit" label="Mettre en service" loading={state.busy.value} />
        </form>
      );
    };
  },
});

/**
 * « Environnement en service » of a product: the environment the tenant's portal and calls use,
 * chosen by staff on purpose (who, when, why), every environment with its credentials and last
 * success, and for staff who may write the chooser (and, for FranceConnect, « Tester la
 * configuration »). Client administrators see it read-only.
 */
export const LiveEnvironmentCard = defineComponent({
  name: 'LiveEnvironmentCard',
  props: {
    tenantId: { type: String, required: true },
    product: { type: String as PropType<LiveEnvironmentProduct>, required: true },
  },
  setup(props) {
    const environments = useLiveEnvironments(() => props.tenantId);
    const titleId = `env-${props.product}-titre`;
    return () => {
      const state = environments();
      const view = state?.data ? productView(state.data, props.product) : null;
      const success = props.product === 'franceconnect' ? 'Dernière connexion réussie' : 'Dernier appel réussi';
      return (
        <section class="card" aria-labelledby={titleId} data-testid={`live-environment-${props.product}`}>
          <h3 id={titleId}>Environnement en service</h3>
          {view ? (
            <>
              <p data-testid="live-environment">
                {view.live ? (
                  <>
                    <EnvironmentBadge product={props.product} environment={view.live.environment} /> <span data-testid="live-chosen">{chosenText(view)}</span>
                    {view.live.reason ? <span data-testid="live-reason"> ; motif : « {view.live.reason} »</span> : null}.
                  </>
                ) : (
                  <>
                    <EnvironmentBadge product={props.product} environment={null} /> Aucun environnement n’est en service.
                  </>
                )}
              </p>
              {!view.usable && view.problem ? (
                <p class="env-problem" data-testid="live-problem">
                  {view.problem}
                </p>
              ) : null}
              <div class="table-wrap">
                <table class="data-table" data-testid="environments-table">
                  <caption class="visually-hidden">Environnements {LIVE_ENVIRONMENT_PRODUCT_LABELS[props.product]} du client</caption>
                  <thead>
                    <tr>
                      <th scope="col">Environnement</th>
                      <th scope="col">Identifiants</th>
                      <th scope="col">{success}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.environments.map((e) => (
                      <tr key={e.environment} data-environment={e.environment} data-live={e.live ? 'true' : 'false'}>
                        <th scope="row">
                          {e.label}
                          {e.live ? (
                            <>
                              {' '}
                              <span class="badge badge--ok">en service</span>
                            </>
                          ) : null}
                          {e.standIn ? (
                            <>
                              {' '}
                              <span class="badge badge--neutral" title="Pointé vers un fournisseur de test de la plateforme">
                                doublure de test
                              </span>
                            </>
                          ) : null}
                        </th>
                        <td data-testid="environment-credentials">
                          {CREDENTIAL_STATES[e.credentials]}
                          {e.problem && e.credentials === 'unusable' ? <span class="muted"> : {e.problem}</span> : null}
                        </td>
                        <td>{e.lastSuccessAt ? formatDateTime(e.lastSuccessAt) : 'jamais'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {canStaffWrite() ? (
                <>
                  <EnvironmentChooser tenantId={props.tenantId} view={view} />
                  {props.product === 'franceconnect' && view.live ? <FranceConnectCheck tenantId={props.tenantId} /> : null}
                </>
              ) : (
                <p class="muted">L’environnement en service est choisi par l’équipe de l’éditeur.</p>
              )}
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(environmentsKey(props.tenantId))} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** The header of a client's file: « FranceConnect : … » and « API Particulier : … » badges. */
export const EnvironmentSummary = defineComponent({
  name: 'EnvironmentSummary',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const environments = useLiveEnvironments(() => props.tenantId);
    return () => {
      const data = environments()?.data;
      if (!data) return null;
      const products: { product: LiveEnvironmentProduct; view: ProductEnvironmentsView }[] = [
        { product: 'franceconnect', view: data.franceconnect },
        { product: 'api_particulier', view: data.apiParticulier },
      ];
      return (
        <div data-testid="environment-summary">
          <p class="environment-badges" aria-label="Environnements en service">
            {products.map(({ product, view }) => (
              <span key={product} data-testid={`header-environment-${product}`}>
                <EnvironmentBadge product={product} environment={view.live?.environment ?? null} withProduct />
              </span>
            ))}
          </p>
        </div>
      );
    };
  },
});

/**
 * The alerts under the header: one per product the tenant uses that cannot work now (none
 * chosen, credentials unusable), quoting the API's problem. An unused product stays silent.
 */
export const EnvironmentAlerts = defineComponent({
  name: 'EnvironmentAlerts',
  props: {
    tenantId: { type: String, required: true },
    franceConnectUsed: { type: Boolean, default: true },
    apiParticulierUsed: { type: Boolean, default: true },
  },
  setup(props) {
    const environments = useLiveEnvironments(() => props.tenantId);
    return () => {
      const data = environments()?.data;
      if (!data) return null;
      const problems = [
        { product: 'franceconnect' as const, view: data.franceconnect, used: props.franceConnectUsed },
        { product: 'api_particulier' as const, view: data.apiParticulier, used: props.apiParticulierUsed },
      ].filter((p) => p.used && !p.view.usable && p.view.problem);
      if (problems.length === 0) return null;
      return (
        <div class="environment-alerts" data-testid="environment-alerts">
          {problems.map(({ product, view }) => (
            <div key={product} data-testid={`environment-alert-${product}`}>
              <Message severity={view.live ? 'error' : 'warn'} closable={false}>
                {{ default: () => view.problem }}
              </Message>
            </div>
          ))}
        </div>
      );
    };
  },
});
