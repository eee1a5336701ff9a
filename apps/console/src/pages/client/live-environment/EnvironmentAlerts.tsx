import { defineComponent } from 'vue';
import { Message } from '../../../prime/message';
import { useLiveEnvironments } from './environments';

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
