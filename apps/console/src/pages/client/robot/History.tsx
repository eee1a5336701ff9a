import { defineComponent, ref } from 'vue';
import { robot } from '../../../api/endpoints';
import type { RobotRunView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { formatDateTime } from '../../../format';
import { reload, useResource } from '../../../state/resource';
import { durationText, countsText, whyText, progressText } from './text';

/** The runs of the tenant, newest first; loaded when opened. */
export const History = defineComponent({
  name: 'RobotHistory',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const open = ref(false);
    const key = () => (open.value ? `robot-runs:${props.tenantId}` : null);
    const runs = useResource<{ items: RobotRunView[] }>(key, () => robot.runs(props.tenantId), 0);
    return () => {
      const state = runs();
      const items = state?.data?.items ?? null;
      return (
        <details class="card robot-history" onToggle={(event: Event) => (open.value = (event.target as HTMLDetailsElement).open)} data-testid="robot-history">
          <summary>Historique des vérifications</summary>
          {!open.value ? null : items ? (
            items.length === 0 ? (
              <p class="muted">Aucune vérification pour l’instant.</p>
            ) : (
              <div class="table-wrap">
                <table class="data-table">
                  <caption>Les 50 dernières vérifications, de la plus récente à la plus ancienne</caption>
                  <thead>
                    <tr>
                      <th scope="col">Demandée le</th>
                      <th scope="col">Motif</th>
                      <th scope="col">État</th>
                      <th scope="col">Résultat</th>
                      <th scope="col">Durée</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((run) => (
                      <tr key={run.id}>
                        <td>{formatDateTime(run.requestedAt)}</td>
                        <td>{whyText(run)}</td>
                        <td>{run.status === 'queued' || run.status === 'running' ? progressText(run) : run.statusLabel}</td>
                        <td>{run.status === 'failed' ? (run.error?.message ?? '—') : run.status === 'completed' ? countsText(run.counts) : '—'}</td>
                        <td>{durationText(run.durationMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`robot-runs:${props.tenantId}`)} />
          ) : (
            <LoadingState label="Chargement de l’historique…" />
          )}
        </details>
      );
    };
  },
});
