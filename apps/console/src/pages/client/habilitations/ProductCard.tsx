import { CALL_MODALITY_INFO, HABILITATION_PRODUCT_LABELS, type HabilitationProduct } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import type { HabilitationView, TenantView } from '@fcplat/contract';
import { formatDate } from '../../../format';
import { Tag } from '../../../prime/tag';
import { canStaffWrite } from '../../../state/session';
import { STATE_SEVERITY, scopeLabel } from './labels';
import { HabilitationHistory } from './HabilitationHistory';
import { RecordForm } from './RecordForm';

export const ProductCard = defineComponent({
  name: 'ProductCard',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    product: { type: String as PropType<HabilitationProduct>, required: true },
    habilitation: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    return () => {
      const h = props.habilitation;
      const required = props.product === 'franceconnect' || props.tenant.dataRetrievalEnabled;
      return (
        <section class="card" aria-labelledby={`hab-${props.product}-titre`} data-testid={`habilitation-${props.product}`}>
          <h3 id={`hab-${props.product}-titre`}>
            HabilitationView {HABILITATION_PRODUCT_LABELS[props.product]}
            {required ? null : <span class="muted"> (non requise : récupération de données désactivée)</span>}
          </h3>
          {h ? (
            <>
              <p>
                État DataPass : <Tag severity={STATE_SEVERITY[h.state]} value={h.stateLabel} data-testid="habilitation-state" />
              </p>
              <dl class="definition-list">
                <dt>Demande DataPass</dt>
                <dd>{h.dataPassId ?? <span class="muted">numéro non renseigné</span>}</dd>
                <dt>Soumise le</dt>
                <dd>{formatDate(h.submittedAt)}</dd>
                <dt>Validée le</dt>
                <dd>{formatDate(h.validatedAt)}</dd>
                {h.refusedAt ? (
                  <>
                    <dt>Refusée le</dt>
                    <dd>{formatDate(h.refusedAt)}</dd>
                  </>
                ) : null}
                <dt>Données</dt>
                <dd>
                  {h.scopes.length === 0 ? <span class="muted">aucune enregistrée</span> : <span data-testid={`habilitation-${props.product}-scopes`}>{h.scopes.map(scopeLabel).join(', ')}</span>}
                </dd>
                {props.product === 'api_particulier' ? (
                  <>
                    <dt>Modalités d’appel</dt>
                    <dd>{h.modalities.length === 0 ? <span class="muted">aucune</span> : h.modalities.map((m) => CALL_MODALITY_INFO[m as keyof typeof CALL_MODALITY_INFO]?.label ?? m).join(', ')}</dd>
                  </>
                ) : null}
              </dl>
              <HabilitationHistory tenantId={props.tenant.id} product={props.product} />
            </>
          ) : (
            <p class="muted">Aucune demande DataPass enregistrée pour l’instant.</p>
          )}
          {canStaffWrite() ? <RecordForm tenantId={props.tenant.id} product={props.product} current={h} /> : null}
        </section>
      );
    };
  },
});
