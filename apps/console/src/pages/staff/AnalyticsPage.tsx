import { ANALYTICS_LABELS as L } from '@fcplat/domain';
import { defineComponent } from 'vue';
import type { PipelineAnalytics } from '@fcplat/contract';
import { onboarding } from '../../api/endpoints';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { Button } from '../../prime/button';
import { formatCalendarDate } from '../../format';
import { reload, useResource } from '../../state/resource';
import { BarChart } from './analytics/BarChart';
import { formatCount, formatDays, formatShare } from './analytics/format';

/** Chart colours: dark enough on white (WCAG 1.4.11, 3:1 for graphical objects), told apart by the legend and the table. */
const COLORS = { primary: '#1d4ed8', secondary: '#7c3aed', tertiary: '#0f766e', danger: '#b91c1c' } as const;

/** « 1 délai tenu », « 5 délais tenus ». */
function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n >= 2 ? 's' : ''}`;
}

/** `<details>` with the chart's numbers as an HTML table (closed by default, opened with the keyboard). */
type StageStats = PipelineAnalytics['stages'][number];

/** The cells of the stays and their working days (how many, median, 90th percentile), the same in every table. */
function stayCells(x: Pick<StageStats, 'stays' | 'medianWorkingDays' | 'p90WorkingDays'>): string[] {
  return [formatCount(x.stays), formatDays(x.medianWorkingDays), formatDays(x.p90WorkingDays)];
}

/** The cells of the deadlines (met, missed, share met), the same in every table. */
function deadlineCells(deadlines: StageStats['deadlines']): string[] {
  return [formatCount(deadlines.met), formatCount(deadlines.missed), formatShare(deadlines.share)];
}

function NumbersTable(props: { id: string; caption: string; headers: string[]; rows: { key: string; cells: string[] }[] }) {
  return (
    <details class="chart-numbers" data-testid={`${props.id}-details`}>
      <summary>Afficher les chiffres (tableau)</summary>
      {/* Focusable and named: keyboard users can scroll it sideways on a narrow screen. */}
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby={`${props.id}-caption`}>
        <table class="data-table" data-testid={`${props.id}-table`}>
          <caption id={`${props.id}-caption`}>{props.caption}</caption>
          <thead>
            <tr>
              {props.headers.map((h, i) => (
                <th key={h} scope="col" class={i > 0 ? 'numeric' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} class="numeric">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * « Indicateurs »: the onboarding pipeline as figures for the editor's staff — the funnel by stage,
 * the working days spent per stage (median, 90th percentile) and the share of deadlines met over
 * the last 90 days, overall and per assignee. Each chart has a text alternative and its numbers in
 * an HTML table; the definitions are in `libs/domain/src/onboarding-analytics.ts`.
 */
export default defineComponent({
  name: 'AnalyticsPage',
  setup() {
    const analytics = useResource<PipelineAnalytics>(() => 'analytics', () => onboarding.analytics());

    function render(a: PipelineAnalytics) {
      const period = `du ${formatCalendarDate(a.window.from)} au ${formatCalendarDate(a.window.to)}`;
      const funnelDescription = `Entonnoir par étape. ${a.funnel
        .map((s) => `${s.label} : ${formatCount(s.current)} à cette étape${s.passed === null ? '' : `, ${formatCount(s.passed)} l’ayant dépassée`}`)
        .join(' ; ')}.`;
      const timed = a.stages.filter((s) => s.slaWorkingDays !== null);
      const daysDescription = `Jours ouvrés passés par étape, ${period}. ${timed
        .map((s) =>
          s.stays === 0
            ? `${s.label} : aucun passage terminé`
            : `${s.label} : médiane ${formatDays(s.medianWorkingDays)}, 90e centile ${formatDays(s.p90WorkingDays)}, délai cible ${formatCount(s.slaWorkingDays)}`,
        )
        .join(' ; ')}.`;
      const assigneeName = (x: PipelineAnalytics['assignees'][number]) => x.assignee?.displayName ?? L.unassigned;
      const shareDescription = `Part des délais tenus par responsable, ${period}. ${a.assignees
        .map((x) => `${assigneeName(x)} : ${formatShare(x.deadlines.share)} (${plural(x.deadlines.met, 'tenu')}, ${plural(x.deadlines.missed, 'dépassé')})`)
        .join(' ; ')}.`;

      return (
        <>
          <section aria-labelledby="synthese-titre">
            <h2 id="synthese-titre">Synthèse</h2>
            <dl class="kpi-list" data-testid="analytics-summary">
              <div class="kpi">
                <dt>{L.activeCases}</dt>
                <dd>{formatCount(a.overall.activeCases)}</dd>
              </div>
              <div class="kpi">
                <dt>{L.overdueCases}</dt>
                <dd>{formatCount(a.overall.overdueCases)}</dd>
              </div>
              <div class="kpi">
                <dt>{L.share} (90 jours)</dt>
                <dd>{formatShare(a.overall.deadlines.share)}</dd>
              </div>
              <div class="kpi">
                <dt>Durée médiane d’une étape</dt>
                <dd>{a.overall.medianWorkingDays === null ? '—' : `${formatDays(a.overall.medianWorkingDays)} j. ouvrés`}</dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="entonnoir-titre" class="card chart-card">
            <h2 id="entonnoir-titre">Entonnoir par étape</h2>
            <p class="muted">
              Dossiers à chaque étape aujourd’hui, et dossiers l’ayant dépassée (leur étape actuelle vient après sur le parcours ; les corrections
              demandées par FranceConnect sont un détour, sans chiffre « dépassée »).
            </p>
            <BarChart
              testId="chart-funnel"
              horizontal
              integer
              height={420}
              labels={a.funnel.map((s) => s.label)}
              series={[
                { label: L.current, values: a.funnel.map((s) => s.current), color: COLORS.primary },
                { label: L.passed, values: a.funnel.map((s) => s.passed), color: COLORS.tertiary },
              ]}
              description={funnelDescription}
            />
            <NumbersTable
              id="funnel"
              caption="Entonnoir par étape"
              headers={['Étape', L.current, L.passed]}
              rows={a.funnel.map((s) => ({ key: s.stage, cells: [s.label, formatCount(s.current), formatCount(s.passed)] }))}
            />
          </section>

          <section aria-labelledby="durees-titre" class="card chart-card">
            <h2 id="durees-titre">Jours ouvrés passés par étape</h2>
            <p class="muted">
              Passages terminés {period} (jours ouvrés, jours fériés exclus), comparés au délai cible de l’étape. Un délai est tenu quand le dossier
              quitte l’étape à temps, dépassé dès son premier jour de retard.
            </p>
            <BarChart
              testId="chart-days"
              horizontal
              height={400}
              labels={timed.map((s) => s.label)}
              series={[
                { label: L.median, values: timed.map((s) => s.medianWorkingDays), color: COLORS.primary },
                { label: L.p90, values: timed.map((s) => s.p90WorkingDays), color: COLORS.secondary },
                { label: L.sla, values: timed.map((s) => s.slaWorkingDays), color: COLORS.tertiary },
              ]}
              format={(v) => formatDays(v)}
              description={daysDescription}
            />
            <NumbersTable
              id="days"
              caption={`Jours ouvrés passés par étape, ${period}`}
              headers={['Étape', L.stays, L.median, L.p90, L.sla, L.met, L.missed, L.share]}
              rows={a.stages.map((s) => ({
                key: s.stage,
                cells: [s.label, ...stayCells(s), formatCount(s.slaWorkingDays), ...deadlineCells(s.deadlines)],
              }))}
            />
          </section>

          <section aria-labelledby="responsables-titre" class="card chart-card">
            <h2 id="responsables-titre">Par responsable</h2>
            <p class="muted">Le responsable est celui du dossier aujourd’hui ; les durées et les délais portent sur la même période.</p>
            <BarChart
              testId="chart-assignees"
              height={Math.max(200, 60 + a.assignees.length * 40)}
              horizontal
              labels={a.assignees.map(assigneeName)}
              series={[{ label: L.share, values: a.assignees.map((x) => x.deadlines.share), color: COLORS.primary }]}
              format={(v) => formatShare(v)}
              max={1}
              description={shareDescription}
            />
            <NumbersTable
              id="assignees"
              caption={`Indicateurs par responsable, ${period}`}
              headers={['Responsable', L.activeCases, L.overdueCases, L.stays, L.median, L.p90, L.met, L.missed, L.share]}
              rows={a.assignees.map((x) => ({
                key: x.assignee?.id ?? 'none',
                cells: [assigneeName(x), formatCount(x.activeCases), formatCount(x.overdueCases), ...stayCells(x), ...deadlineCells(x.deadlines)],
              }))}
            />
          </section>
        </>
      );
    }

    return () => {
      const state = analytics();
      return (
        <div class="container" data-testid="analytics" data-state={state?.data && !state.loading ? 'ready' : 'loading'}>
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Indicateurs</h1>
              <p class="muted">Tableau de bord du suivi des intégrations : où en sont les dossiers, combien de temps prend chaque étape, et les délais tenus.</p>
            </div>
            <div class="actions">
              <Button type="button" label="Actualiser" severity="secondary" outlined onClick={() => void reload('analytics')} />
            </div>
          </div>
          {state?.data ? render(state.data) : state?.error ? <ErrorState error={state.error} onRetry={() => void reload('analytics')} /> : <LoadingState label="Chargement des indicateurs…" />}
        </div>
      );
    };
  },
});
