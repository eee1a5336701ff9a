import { defineComponent, onBeforeUnmount, onMounted } from 'vue';
import { RouterLink } from 'vue-router';
import type { QueueDashboard } from '@fcplat/contract';
import { admin } from '../../api/endpoints';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { reload, useResource } from '../../state/resource';

const KEY = 'queue-dashboard';
/** The page reloads its figures this often while it is open (never while a load is under way). */
const REFRESH_MS = 15_000;

const number = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('fr-FR'));
const time = (iso: string): string => new Date(iso).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A two-column table of labels and counts (numbers right-aligned), with its caption as a heading. */
function countTable(id: string, caption: string, rows: readonly { label: string; count: number | null }[], head = 'Nombre') {
  return (
    <div class="table-wrap">
      <table class="data-table count-table" id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">État</th>
            <th scope="col" class="num">
              {head}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td class="num">{number(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * « Files d'attente » (staff): the background queues' jobs per state, API Particulier calls per
 * state, the rate-limit pauses in force and the per-IP ceiling, the last hour, the tenants
 * waiting most and the failures of the last 24 hours; French labels come from the API
 * (libs/domain). Refreshed every 15 seconds while open, and on demand.
 */
export default defineComponent({
  name: 'QueuesPage',
  setup() {
    const dashboard = useResource<QueueDashboard>(() => KEY, () => admin.queueDashboard(), 5_000);
    let timer: ReturnType<typeof setInterval> | undefined;
    onMounted(() => {
      timer = setInterval(() => {
        if (!dashboard()?.loading) void reload(KEY);
      }, REFRESH_MS);
    });
    onBeforeUnmount(() => clearInterval(timer));

    return () => {
      const resource = dashboard();
      const d = resource?.data;
      return (
        <div class="container" data-testid="queues" data-state={d && !resource?.loading ? 'ready' : 'loading'}>
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Files d’attente</h1>
              <p class="muted">
                Les traitements en arrière-plan (appels API Particulier, robot de qualification, tâches système) et les pauses imposées par les limites de débit.
              </p>
            </div>
            <div class="actions">
              <Button type="button" label="Actualiser" severity="secondary" outlined loading={resource?.loading ?? false} onClick={() => void reload(KEY)} />
            </div>
          </div>
          {resource?.error && !d ? (
            <ErrorState error={resource.error} onRetry={() => void reload(KEY)} />
          ) : !d ? (
            <LoadingState label="Chargement des files d’attente…" />
          ) : (
            <>
              <p class="muted" role="status">
                État au {formatDateTime(d.generatedAt)}, actualisé toutes les 15 secondes.{' '}
                {d.backend.up ? (
                  <span class="badge badge--ok">File {d.backend.kind} disponible ({number(d.backend.latencyMs)} ms)</span>
                ) : (
                  <span class="badge badge--ko">File {d.backend.kind} indisponible</span>
                )}
              </p>

              <section aria-labelledby="files-titre">
                <h2 id="files-titre">Tâches par file</h2>
                {d.queues.length === 0 ? (
                  <p>La file ne répond pas : ses chiffres reviendront avec elle.</p>
                ) : (
                  <div class="queue-grid">
                    {d.queues.map((q) => (
                      <div class="card" key={q.queue}>
                        {countTable(`file-${q.queue}`, q.label, q.counts, 'Tâches')}
                      </div>
                    ))}
                  </div>
                )}
              </section>

              <section aria-labelledby="pauses-titre">
                <h2 id="pauses-titre">Pauses des limites de débit</h2>
                <p>
                  Limite par IP : {number(d.ipCeiling.configuredPerMinute)} appels par minute configurés
                  {d.ipCeiling.learntPerMinute === null ? (
                    '.'
                  ) : (
                    <>
                      {' '}
                      ; <strong>{number(d.ipCeiling.learntPerMinute)} appliqués</strong>, appris des réponses d’API Particulier (plus bas que la configuration : corrigez
                      API_PARTICULIER_IP_LIMIT_PER_MINUTE).
                    </>
                  )}
                </p>
                {d.pauses.length === 0 ? (
                  <p data-testid="no-pause">Aucune pause : les appels partent au rythme autorisé.</p>
                ) : (
                  <div class="table-wrap">
                    <table class="data-table" data-testid="pauses">
                      <caption class="visually-hidden">Pauses en cours</caption>
                      <thead>
                        <tr>
                          <th scope="col">Portée</th>
                          <th scope="col">Jusqu’à</th>
                          <th scope="col">Motif</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.pauses.map((p, i) => (
                          <tr key={i}>
                            <th scope="row">{p.bucket}</th>
                            <td>{time(p.until)}</td>
                            <td>{p.reason ?? '—'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>

              <section aria-labelledby="appels-titre">
                <h2 id="appels-titre">Appels API Particulier</h2>
                <div class="queue-grid">
                  <div class="card">{countTable('appels-etats', 'Appels par état', d.calls)}</div>
                  <div class="card">
                    {countTable(
                      'derniere-heure',
                      'Dernière heure',
                      [
                        { label: 'Appels terminés', count: d.lastHour.calls },
                        { label: 'En échec', count: d.lastHour.failed },
                        { label: 'Réponses 429 reçues', count: d.lastHour.rateLimited },
                        { label: 'Latence médiane (ms)', count: d.lastHour.latencyP50Ms },
                        { label: 'Latence p95 (ms)', count: d.lastHour.latencyP95Ms },
                      ],
                      'Valeur',
                    )}
                  </div>
                </div>
              </section>

              <section aria-labelledby="attente-titre">
                <h2 id="attente-titre">Organismes avec des appels en attente</h2>
                {d.tenantsWithBacklog.length === 0 ? (
                  <p>Aucun appel en attente.</p>
                ) : (
                  <div class="table-wrap">
                    <table class="data-table">
                      <caption class="visually-hidden">Organismes avec des appels en attente</caption>
                      <thead>
                        <tr>
                          <th scope="col">Organisme</th>
                          <th scope="col" class="num">
                            En attente
                          </th>
                          <th scope="col" class="num">
                            En cours
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.tenantsWithBacklog.map((t) => (
                          <tr key={t.tenantId}>
                            <th scope="row">
                              <RouterLink to={{ name: 'client', params: { id: t.tenantId, section: 'api-particulier' } }}>{{ default: () => t.name }}</RouterLink>
                            </th>
                            <td class="num">{number(t.queued)}</td>
                            <td class="num">{number(t.inProgress)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>

              <section aria-labelledby="echecs-titre">
                <h2 id="echecs-titre">Échecs des dernières 24 heures</h2>
                {d.failures24h.length === 0 ? (
                  <p>Aucun échec.</p>
                ) : (
                  <div class="table-wrap">
                    <table class="data-table">
                      <caption class="visually-hidden">Échecs des dernières 24 heures</caption>
                      <thead>
                        <tr>
                          <th scope="col">Code</th>
                          <th scope="col">Signification</th>
                          <th scope="col" class="num">
                            Nombre
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.failures24h.map((f) => (
                          <tr key={f.errorCode ?? 'aucun'}>
                            <th scope="row">{f.errorCode ?? '—'}</th>
                            <td>{f.label ?? ''}</td>
                            <td class="num">{number(f.count)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            </>
          )}
        </div>
      );
    };
  },
});
