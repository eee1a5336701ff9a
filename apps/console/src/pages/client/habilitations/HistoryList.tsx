import { HABILITATION_STATE_LABELS } from '@fcplat/domain';
import type { HabilitationHistoryView } from '@fcplat/contract';
import { formatDateTime } from '../../../format';

export function HistoryList(props: { items: readonly HabilitationHistoryView[] }) {
  if (props.items.length === 0) return <p class="muted">Aucun changement enregistré.</p>;
  return (
    <ol class="timeline">
      {props.items.map((h) => (
        <li key={h.id}>
          <div class="when">
            {formatDateTime(h.occurredAt)} · {h.source === 'webhook' ? `DataPass (${h.dataPassEvent ?? 'notification'})` : 'saisie manuelle'}
          </div>
          <div>
            {h.fromState ? `${HABILITATION_STATE_LABELS[h.fromState]} → ` : ''}
            <strong>{HABILITATION_STATE_LABELS[h.toState]}</strong>
          </div>
          {h.note ? <div>Note : {h.note}</div> : null}
        </li>
      ))}
    </ol>
  );
}
