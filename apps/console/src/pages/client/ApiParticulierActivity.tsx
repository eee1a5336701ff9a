import { defineComponent, type PropType } from 'vue';
import type { HabilitationView, TenantView } from '@fcplat/contract';
import { Batches } from './api-particulier-activity/Batches';
import { CallLog } from './api-particulier-activity/CallLog';

/** API Particulier activity of a tenant: batches and the call log. */
export const ApiParticulierActivity = defineComponent({
  name: 'ApiParticulierActivity',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    habilitation: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    return () => (
      <>
        <Batches tenant={props.tenant} habilitation={props.habilitation} />
        <CallLog tenant={props.tenant} />
      </>
    );
  },
});
