import { type LiveEnvironmentProduct } from '@fcplat/domain';
import { defineComponent } from 'vue';
import type { ProductEnvironmentsView } from '@fcplat/contract';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { useLiveEnvironments } from './environments';

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
