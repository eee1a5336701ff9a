import { defineComponent, nextTick, ref, type PropType } from 'vue';
import type { BatchLineView, BatchView, Page } from '@fcplat/contract';
import { apiParticulier } from '../../../api/endpoints';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { pageCount } from '../../../components/PageSteps';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { reload, useResource } from '../../../state/resource';
import { activity } from './activity';

const PAGE_SIZE = 50;

/**
 * One batch's lines on screen, in the order of the file: accepted (the call's status, and why it
 * failed) and rejected (why) together, a page at a time — never the data, so staff read it too.
 */
export const BatchLines = defineComponent({
  name: 'ApiParticulierBatchLines',
  props: {
    tenantId: { type: String, required: true },
    batch: { type: Object as PropType<BatchView>, required: true },
    onClose: { type: Function as PropType<() => void>, required: true },
  },
  setup(props) {
    const page = ref(1);
    const key = () => `apip-batch-lines:${props.tenantId}:${props.batch.id}:${page.value}:${activity.value}`;
    const lines = useResource<Page<BatchLineView>>(key, () => apiParticulier.batchLines(props.tenantId, props.batch.id, page.value, PAGE_SIZE), 0);
    void nextTick(() => document.getElementById('apip-lot-lignes-titre')?.focus());
    return () => {
      const state = lines();
      const pages = state?.data ? pageCount(state.data.total, PAGE_SIZE) : 1;
      return (
        <section class="batch-lines" aria-labelledby="apip-lot-lignes-titre" data-testid="apip-batch-lines">
          <h4 id="apip-lot-lignes-titre" tabindex="-1">
            Lignes du lot « {props.batch.fileName} » ({formatDateTime(props.batch.createdAt)})
          </h4>
          <p class="muted">Dans l’ordre du fichier : l’état de chaque dossier et, en cas d’échec ou de rejet, pourquoi. Les données obtenues ne sont que dans le fichier des résultats.</p>
          {state?.data ? (
            <>
              <div class="table-wrap">
                <table class="data-table">
                  <caption class="visually-hidden">
                    Lignes du lot, page {page.value} sur {pages} ({state.data.total} lignes)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Ligne</th>
                      <th scope="col">Référence du dossier</th>
                      <th scope="col">État</th>
                      <th scope="col">Motif</th>
                      <th scope="col">Traité le</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.data.items.map((l) => (
                      <tr key={l.line} data-testid="apip-batch-line" data-status={l.status}>
                        <td>{l.line}</td>
                        <td>{l.reference ?? <span class="muted">—</span>}</td>
                        <td>
                          <span class={`badge ${l.status === 'succeeded' ? 'badge--ok' : l.status === 'failed' || l.status === 'rejected' ? 'badge--overdue' : 'badge--neutral'}`}>{l.statusLabel}</span>
                        </td>
                        <td>{l.reason ?? <span class="muted">—</span>}</td>
                        <td>{l.finishedAt ? formatDateTime(l.finishedAt) : <span class="muted">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav class="pager batch-lines-pager" aria-label="Pages des lignes du lot">
                <Button type="button" severity="secondary" outlined label="Page précédente" disabled={page.value <= 1} onClick={() => (page.value -= 1)} />
                <span aria-live="polite" data-testid="apip-batch-lines-page">
                  Page {page.value} sur {pages}
                </span>
                <Button type="button" severity="secondary" outlined label="Page suivante" disabled={page.value >= pages} onClick={() => (page.value += 1)} />
                <Button type="button" severity="secondary" text label="Fermer le détail" onClick={props.onClose} />
              </nav>
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement des lignes…" />
          )}
        </section>
      );
    };
  },
});
