import { defineComponent, nextTick, onBeforeUnmount, ref, watch, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { robot } from '../../api/endpoints';
import type { RobotOverviewView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SectionTitle } from '../../components/SectionTitle';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { invalidate, reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';
import { progressText } from './robot/text';
import { LastRun } from './robot/LastRun';
import { History } from './robot/History';

/** How often the section asks for news while a run waits or runs. */
const POLL_MS = 2000;

/**
 * « Robot de qualification » (staff only): the robot's last completed run with each prerequisite's
 * verdict, what it measured, its screenshots, what changed since the run before and where a
 * person's checklist verdict disagrees; a run asked for by staff who may write, followed every
 * 2 s until it ends; the last failure; the qualification dossier to attach to FranceConnect's
 * Démarches Simplifiées request; the history.
 */
export default defineComponent({
  name: 'RobotSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `robot:${props.tenant.id}`;
    const overview = useResource<RobotOverviewView>(key, () => robot.overview(props.tenant.id), 0);
    const busy = ref(false);
    const problem = ref<Problem | null>(null);
    const done = ref<string | null>(null);

    // Follows a run that waits or runs; nothing is asked while none does.
    const timer = setInterval(() => {
      if (overview()?.data?.pending && !document.hidden) void reload(key());
    }, POLL_MS);
    onBeforeUnmount(() => clearInterval(timer));

    // A run ended: what it changed elsewhere (the checklist it fills, the case's blockers) is reloaded.
    watch(
      () => overview()?.data?.pending?.id ?? null,
      (now, before) => {
        if (before && !now) {
          invalidate(`checklist:${props.tenant.id}`, `case:${props.tenant.id}`, `robot-runs:${props.tenant.id}`, `audit:${props.tenant.id}`);
          // The API shows a failure only when it is newer than the last completed run.
          done.value = overview()?.data?.lastFailure ? 'La vérification a échoué : voir ci-dessous.' : 'La vérification est terminée : les résultats ci-dessous sont à jour.';
        }
      },
    );

    async function start(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      problem.value = null;
      done.value = null;
      try {
        await robot.request(props.tenant.id);
        await reload(key());
        invalidate(`robot-runs:${props.tenant.id}`, `audit:${props.tenant.id}`);
        await nextTick();
        document.getElementById('robot-progression')?.focus();
      } catch (error) {
        problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
        await nextTick();
        document.getElementById('robot-probleme')?.focus();
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const state = overview();
      const data = state?.data ?? null;
      const t = props.tenant;
      const usesFranceConnect = t.connexionEnabled || t.dataRetrievalEnabled;
      const pending = data?.pending ?? null;
      return (
        <section aria-labelledby="section-titre" data-testid="robot-section">
          <SectionTitle>Robot de qualification</SectionTitle>
          <p class="muted">
            Le robot parcourt le portail du client comme le fera FranceConnect et vérifie les prérequis qu’une machine peut prouver. Il remplit la{' '}
            <RouterLink to={{ name: 'client', params: { id: t.id, section: 'recette' } }}>{{ default: () => 'recette' }}</RouterLink> sans jamais remplacer le verdict d’une personne.
          </p>
          {data ? (
            <>
              <section class="card" aria-labelledby="robot-verification">
                <h3 id="robot-verification">Vérification</h3>
                <ProblemSummary id="robot-probleme" problem={problem.value} title="La vérification n’a pas été lancée" />
                <StatusMessage text={done.value} id="robot-statut" />
                {/* Present before it speaks: a polite live region for the progress. */}
                <div role="status" aria-live="polite" class="robot-progress" data-testid="robot-progress">
                  {pending ? (
                    <p id="robot-progression" tabindex="-1">
                      <strong>{progressText(pending)}</strong>
                      <span class="muted"> · demandée le {formatDateTime(pending.requestedAt)}</span>
                    </p>
                  ) : null}
                </div>
                {pending && pending.status === 'running' && pending.progress.total > 0 ? (
                  <progress max={pending.progress.total} value={pending.progress.done} aria-label="Avancement de la vérification" />
                ) : null}
                {!usesFranceConnect ? (
                  <p class="muted">Ce client n’utilise pas FranceConnect (ni connexion, ni récupération des données) : rien à vérifier.</p>
                ) : canStaffWrite() && !pending ? (
                  <div class="actions">
                    <Button type="button" id="robot-lancer" label="Lancer la vérification" loading={busy.value} onClick={() => void start()} />
                  </div>
                ) : null}
                {!data.lastCompleted && !pending ? <p class="muted">Le robot n’a encore terminé aucune vérification de ce client.</p> : null}
              </section>
              {data.lastFailure ? (
                <div class="problem" data-testid="robot-last-failure">
                  <Message severity="error" closable={false}>
                    {{
                      default: () => (
                        <div>
                          <p>
                            <strong>La dernière vérification a échoué</strong> ({formatDateTime(data.lastFailure?.finishedAt)}, {data.lastFailure?.triggerLabel.toLowerCase()}).
                          </p>
                          <p>{data.lastFailure?.error?.message ?? 'Le robot n’a pas pu terminer.'}</p>
                        </div>
                      ),
                    }}
                  </Message>
                </div>
              ) : null}
              <section class="card" aria-labelledby="robot-dossier">
                <h3 id="robot-dossier">Dossier de qualification</h3>
                <p class="muted">À joindre à la demande de qualification déposée sur Démarches Simplifiées : les réponses à recopier, chaque prérequis avec ses preuves et ses captures.</p>
                <div class="actions">
                  <a class="link-button link-button--secondary" href={robot.dossierHtmlUrl(t.id)} download data-testid="dossier-html">
                    Dossier de qualification (HTML)
                  </a>
                  <a class="link-button link-button--secondary" href={robot.dossierPdfUrl(t.id)} download data-testid="dossier-pdf">
                    Dossier de qualification (PDF)
                  </a>
                </div>
              </section>
              {data.lastCompleted ? <LastRun tenantId={t.id} run={data.lastCompleted} blocking={data.blocking} /> : null}
              <History tenantId={t.id} />
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement du robot de qualification…" />
          )}
        </section>
      );
    };
  },
});
