import { defineComponent } from 'vue';
import { onboarding } from '../../../api/endpoints';
import type { CaseHistoryEntry, Page } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { formatDateTime } from '../../../format';
import { reload, useResource } from '../../../state/resource';
import { moveLabel } from '@fcplat/domain';

export const StageHistory = defineComponent({
  name: 'StageHistory',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const history = useResource<Page<CaseHistoryEntry>>(() => `case-history:${props.tenantId}`, () => onboarding.history(props.tenantId));
    return () => {
      const state = history();
      return (
        <section class="card" aria-labelledby="historique-etapes">
          <h3 id="historique-etapes">Historique des étapes</h3>
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun changement d’étape pour l’instant.</p>
            ) : (
              <ol class="timeline" data-testid="stage-history">
                {state.data.items.map((h) => (
                  <li key={h.id}>
                    <div class="when">
                      {formatDateTime(h.occurredAt)} · {h.actor.displayName ?? (h.actor.type === 'system' ? 'la plateforme' : 'inconnu')}
                    </div>
                    <div>
                      <strong>{h.toStageLabel}</strong> <span class="muted">({moveLabel(h.kind, h.fromStage, h.toStage)})</span>
                    </div>
                    {h.reason ? <div>Motif : {h.reason}</div> : null}
                  </li>
                ))}
              </ol>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`case-history:${props.tenantId}`)} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});
