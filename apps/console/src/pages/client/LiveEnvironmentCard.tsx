import { LIVE_ENVIRONMENT_PRODUCT_LABELS, type LiveEnvironmentProduct } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import type { EnvironmentOptionView, ProductEnvironmentsView } from '@fcplat/contract';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { formatDateTime, formatNumericDateTime } from '../../format';
import { reload } from '../../state/resource';
import { canStaffWrite } from '../../state/session';
import { environmentsKey, useLiveEnvironments, productView } from './live-environment/environments';
import { FranceConnectCheck } from './live-environment/FranceConnectCheck';
import { EnvironmentChooser } from './live-environment/EnvironmentChooser';

const CREDENTIAL_STATES: Readonly<Record<EnvironmentOptionView['credentials'], string>> = {
  usable: 'présents',
  missing: 'absents',
  unusable: 'inutilisables',
};

/** « choisi par Dominique Agent le 04/03/2026 à 10:15 », or « par la plateforme ». */
function chosenText(view: ProductEnvironmentsView): string {
  const live = view.live;
  if (!live) return '';
  return `choisi ${live.chosenBy ? `par ${live.chosenBy.name}` : 'par la plateforme'} le ${formatNumericDateTime(live.chosenAt)}`;
}

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
