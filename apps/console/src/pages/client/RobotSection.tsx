import { FRANCECONNECT_ENVIRONMENT_LABELS, ROBOT_VERDICT_LABELS, type FranceConnectEnvironment, type ItemStatus, type RobotVerdict } from '@fcplat/domain';
import { defineComponent, nextTick, onBeforeUnmount, ref, watch, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { robot } from '../../api/endpoints';
import type { RobotItemView, RobotOverviewView, RobotRunDetailView, RobotRunView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SectionTitle } from '../../components/SectionTitle';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { Tag } from '../../prime/tag';
import { invalidate, reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';

/** How often the section asks for news while a run waits or runs. */
const POLL_MS = 2000;

const VERDICT_SEVERITY: Readonly<Record<RobotVerdict, 'success' | 'danger' | 'secondary' | 'info'>> = {
  passed: 'success',
  failed: 'danger',
  not_verifiable: 'secondary',
  not_applicable: 'info',
};

/** « conforme » / « non conforme »… in a sentence (a person's verdict on the checklist). */
const PERSON_WORDS: Readonly<Record<ItemStatus, string>> = {
  todo: 'à vérifier',
  passed: 'conforme',
  failed: 'non conforme',
  not_applicable: 'sans objet',
};

const ROBOT_WORDS: Readonly<Record<RobotVerdict, string>> = {
  passed: 'conforme',
  failed: 'non conforme',
  not_verifiable: 'non vérifiable ici',
  not_applicable: 'sans objet',
};

function environmentText(environment: FranceConnectEnvironment | null): string {
  return environment ? FRANCECONNECT_ENVIRONMENT_LABELS[environment] : 'aucun';
}

/** « 42 s », « 2 min 05 s ». */
export function durationText(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** « 12 conformes, 2 non conformes, 3 non vérifiables ici, 5 sans objet ». */
function countsText(counts: RobotRunView['counts']): string {
  if (!counts) return '—';
  return `${counts.passed} conforme(s), ${counts.failed} non conforme(s), ${counts.not_verifiable} non vérifiable(s) ici, ${counts.not_applicable} sans objet`;
}

/** Why a run was asked: « Demandée par l’équipe (Dominique Agent) — nouveau logo ». */
function whyText(run: RobotRunView): string {
  return `${run.triggerLabel}${run.requestedBy ? ` (${run.requestedBy.displayName})` : ''}${run.reason ? ` — ${run.reason}` : ''}`;
}

/** The progress of a run that waits or runs, as said to everyone (a live region reads it). */
export function progressText(run: RobotRunView): string {
  if (run.status === 'queued') return 'En attente…';
  const step = run.progress.total > 0 ? `étape ${Math.min(run.progress.done + 1, run.progress.total)}/${run.progress.total}` : 'démarrage';
  return `En cours : ${step}${run.progress.label ? ` — ${run.progress.label}` : ''}`;
}

/** A measured value, readable: text as is, yes/no, numbers, lists and objects as compact JSON. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return value.toLocaleString('fr-FR');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  return JSON.stringify(value);
}

/** One prerequisite as the robot saw it. */
const RobotItemView = defineComponent({
  name: 'RobotItemView',
  props: {
    tenantId: { type: String, required: true },
    runId: { type: String, required: true },
    item: { type: Object as PropType<RobotItemView>, required: true },
  },
  setup(props) {
    return () => {
      const item = props.item;
      // PostgreSQL's jsonb keeps no key order: sorted, the same measure is always in the same place.
      const evidence = Object.entries(item.evidence).sort(([a], [b]) => a.localeCompare(b, 'fr'));
      return (
        <article class="checklist-item robot-item" data-testid={`robot-${item.id}`} aria-labelledby={`robot-titre-${item.id}`}>
          <h4 id={`robot-titre-${item.id}`}>
            {item.id} · {item.title}
          </h4>
          <div class="status-line">
            <Tag severity={VERDICT_SEVERITY[item.verdict]} value={item.verdictLabel} data-testid="robot-verdict" />
            {item.environment ? <span class="muted">Vérifié sur : {FRANCECONNECT_ENVIRONMENT_LABELS[item.environment]}</span> : null}
            {item.changed ? (
              <span class="badge badge--changed" data-testid="robot-changed">
                {item.previousVerdict ? `Changé : était ${ROBOT_VERDICT_LABELS[item.previousVerdict]}` : 'Nouveau depuis la vérification précédente'}
              </span>
            ) : null}
          </div>
          <p data-testid="robot-summary">{item.summary}</p>
          {item.person?.disagrees ? (
            <div class="robot-disagreement" data-testid="robot-disagreement">
              <Message severity="warn" closable={false}>
                {{
                  default: () =>
                    `Une personne a jugé cet élément ${PERSON_WORDS[item.person?.status ?? 'todo']} ; le robot le trouve ${ROBOT_WORDS[item.verdict]}. Le verdict de la personne est conservé.`,
                }}
              </Message>
            </div>
          ) : null}
          {item.findings.length > 0 ? (
            <>
              <p class="robot-label" id={`robot-constats-${item.id}`}>
                Constats :
              </p>
              <ul aria-labelledby={`robot-constats-${item.id}`} data-testid="robot-findings">
                {item.findings.map((finding, index) => (
                  <li key={index}>{finding}</li>
                ))}
              </ul>
            </>
          ) : null}
          {evidence.length > 0 ? (
            <details class="robot-evidence" data-testid="robot-evidence">
              <summary>
                Mesures relevées ({evidence.length})<span class="visually-hidden"> pour {item.id}</span>
              </summary>
              <dl class="definition-list">
                {evidence.map(([key, value]) => [
                  <dt key={`k-${key}`}>{key}</dt>,
                  <dd key={`v-${key}`}>
                    <span class="code">{valueText(value)}</span>
                  </dd>,
                ])}
              </dl>
            </details>
          ) : null}
          {item.screenshots.length > 0 ? (
            <ul class="robot-shots" aria-label={`Captures de ${item.id}`}>
              {item.screenshots.map((shot) => (
                <li key={shot.name}>
                  <a href={robot.screenshotUrl(props.tenantId, props.runId, shot.name)} target="_blank" rel="noopener">
                    <img src={robot.screenshotUrl(props.tenantId, props.runId, shot.name)} alt={shot.label} loading="lazy" data-testid="robot-screenshot" />
                    <span class="robot-shot-label">
                      {shot.label}
                      <span class="visually-hidden"> (taille réelle, nouvel onglet)</span>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </article>
      );
    };
  },
});

/** The last completed run: when, why, the environments proven, the counts and every item. */
const LastRun = defineComponent({
  name: 'RobotLastRun',
  props: {
    tenantId: { type: String, required: true },
    run: { type: Object as PropType<RobotRunDetailView>, required: true },
    blocking: { type: Array as PropType<readonly string[]>, required: true },
  },
  setup(props) {
    return () => {
      const run = props.run;
      return (
        <section class="card" aria-labelledby="robot-derniere" data-testid="robot-last-run">
          <h3 id="robot-derniere">Dernière vérification</h3>
          <dl class="definition-list">
            <dt>Terminée le</dt>
            <dd data-testid="robot-finished-at">
              {formatDateTime(run.finishedAt)} (durée {durationText(run.durationMs)})
            </dd>
            <dt>Motif</dt>
            <dd data-testid="robot-why">{whyText(run)}</dd>
            <dt>Parcours vérifié sur</dt>
            <dd data-testid="robot-live-environment">{environmentText(run.liveEnvironment)}</dd>
            <dt>Connexion vérifiée avec</dt>
            <dd data-testid="robot-login-environment">{environmentText(run.loginEnvironment)}</dd>
            <dt>Résultat</dt>
            <dd data-testid="robot-counts">{countsText(run.counts)}</dd>
          </dl>
          {props.blocking.length > 0 ? (
            <p class="field-error" data-testid="robot-blocking">
              Non conforme(s) selon le robot, ce qui bloque la demande de qualification : {props.blocking.join(', ')}.
            </p>
          ) : (
            <p class="field-ok">Aucun prérequis non conforme selon le robot.</p>
          )}
          <div>
            {run.items.map((item) => (
              <RobotItemView key={item.id} tenantId={props.tenantId} runId={run.id} item={item} />
            ))}
          </div>
        </section>
      );
    };
  },
});

/** The runs of the tenant, newest first; loaded when opened. */
const History = defineComponent({
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
