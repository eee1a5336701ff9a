import { HABILITATION_PRODUCTS } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import type { TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { reload } from '../../state/resource';
import { SectionTitle } from '../../components/SectionTitle';
import { ProductCard } from './habilitations/ProductCard';
import { habilitationsKey, useHabilitations } from './habilitations/use-habilitations';

/** The « Habilitations » section: the DataPass state of each product, its data and its history. */
export default defineComponent({
  name: 'HabilitationsSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const list = useHabilitations(() => props.tenant.id);
    return () => {
      const state = list();
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Habilitations DataPass
          </SectionTitle>
          <p class="muted">Les états sont mis à jour par DataPass lorsqu’il notifie la plateforme ; l’équipe peut aussi les enregistrer à la main.</p>
          {state?.data ? (
            HABILITATION_PRODUCTS.map((product) => (
              <ProductCard key={product} tenant={props.tenant} product={product} habilitation={state.data?.items.find((h) => h.product === product) ?? null} />
            ))
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
