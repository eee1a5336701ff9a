import { type HabilitationProduct } from '@fcplat/domain';
import { defineComponent, ref, type PropType } from 'vue';
import { habilitations } from '../../../api/endpoints';
import type { HabilitationHistoryView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { reload, useResource } from '../../../state/resource';
import { HistoryList } from './HistoryList';

/** The history of one product's habilitation, loaded when it is unfolded. */
export const HabilitationHistory = defineComponent({
  name: 'HabilitationHistory',
  props: { tenantId: { type: String, required: true }, product: { type: String as PropType<HabilitationProduct>, required: true } },
  setup(props) {
    const open = ref(false);
    const key = () => (open.value ? `habilitation-history:${props.tenantId}:${props.product}` : null);
    const history = useResource<{ items: HabilitationHistoryView[] }>(key, () => habilitations.history(props.tenantId, props.product));
    return () => {
      const state = history();
      return (
        <details onToggle={(event: Event) => (open.value = (event.target as HTMLDetailsElement).open)}>
          <summary>Historique des états</summary>
          {open.value ? (
            state?.data ? (
              <HistoryList items={state.data.items} />
            ) : state?.error ? (
              <ErrorState error={state.error} onRetry={() => void reload(key() ?? '')} />
            ) : (
              <LoadingState />
            )
          ) : null}
        </details>
      );
    };
  },
});
