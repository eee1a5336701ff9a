import { FRANCECONNECT_ENVIRONMENTS } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import { credentials } from '../../api/endpoints';
import type { CredentialsView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { Message } from '../../prime/message';
import { reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';
import { LiveEnvironmentCard } from './LiveEnvironmentCard';
import { productView, useLiveEnvironments } from './live-environment/environments';
import { DeclaredUris } from './franceconnect/DeclaredUris';
import { EnvironmentCredentials } from './franceconnect/EnvironmentCredentials';
import { SandboxClient } from './franceconnect/SandboxClient';

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
