/**
 * Pipeline analytics for the editor's staff (« Indicateurs »): the pure rules behind
 * `GET /api/onboarding/analytics`. The API aggregates in PostgreSQL; what a funnel position is, which
 * dates are public holidays and how the indicators are named in French are decided here, once.
 *
 * - **Funnel**: a case has *passed* a stage when its current stage comes later on the main path
 *   ({@link MAIN_PATH}); a case in `changes_requested` (a detour of the qualification) stands at the
 *   level of `qualification_requested`: it has passed `internal_check`, not the qualification. The
 *   detour itself has no « passed » figure (a case that went through it cannot be told apart from
 *   its current stage).
 * - **Time per stage**: a stay at a stage runs from the stage change that entered it to the next
 *   one; its length is {@link workingDaysBetween} of the two instants (French working days, Paris
 *   dates, national public holidays), see {@link measureStay}. Only stays that *ended* within the
 *   window count (a stay still running has no length yet).
 * - **Deadlines met**: every stay at a stage with an SLA is settled once: *met* when the case left
 *   the stage within the SLA (settled on the day it left), *missed* on the first day it was overdue
 *   (whether it left since or not). The share is met / (met + missed) over the outcomes settled in
 *   the window.
 */
import { MAIN_PATH, ONBOARDING_STAGES, type OnboardingStage } from './onboarding.js';
import { STAGE_SLAS, type StageSla } from './onboarding-sla.js';
import { addWorkingDays, workingDaysBetween, type CalendarDate, type DateInput } from './working-days.js';

/** The window of the time and deadline indicators, in calendar days up to today (Paris). */
export const ANALYTICS_WINDOW_DAYS = 90;

export interface StayMeasures {
  /** {@link workingDaysBetween} of the stay's start and end. */
  readonly workingDays: number;
  /** The stay's first overdue Paris date (`addWorkingDays(start, sla + 1)`), `null` without SLA. */
  readonly overdueOn: CalendarDate | null;
  /** Left within the SLA (`workingDays <= sla`), `null` without SLA. */
  readonly met: boolean | null;
}

/**
 * The measures of a stay at `stage` from `startedAt` to `endedAt`, as the API stores them on the
 * stage change that ended it. A missed deadline is settled on `overdueOn`: it counts in a window
 * when `overdueOn` is within it.
 */
export function measureStay(
  stage: OnboardingStage,
  startedAt: DateInput,
  endedAt: DateInput,
  slas: Readonly<Record<OnboardingStage, StageSla>> = STAGE_SLAS,
): StayMeasures {
  const workingDays = Math.max(0, workingDaysBetween(startedAt, endedAt));
  const sla = slas[stage].workingDays;
  if (sla === null) return { workingDays, overdueOn: null, met: null };
  return { workingDays, overdueOn: addWorkingDays(startedAt, sla + 1), met: workingDays <= sla };
}

/**
 * The `p` quantile (0..1) of values given as a histogram `[value, count][]`, with PostgreSQL's
 * `percentile_cont` interpolation (between the two values around position `p × (n − 1)`); `null`
 * for an empty histogram. The API aggregates stays as such a histogram in SQL (a hash aggregate, no
 * sort of every stay) and reads the median and the 90th percentile from it.
 */
export function percentileOfHistogram(histogram: ReadonlyArray<readonly [number, number]>, p: number): number | null {
  const sorted = histogram.filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (index < seen) return value;
    }
    return (sorted[sorted.length - 1] as readonly [number, number])[0];
  };
  const low = Math.floor(position);
  const lowValue = valueAt(low);
  return lowValue + (position - low) * (valueAt(Math.ceil(position)) - lowValue);
}

/** Where a case stands on the main path (`changes_requested` counts as `qualification_requested`). */
export function funnelPosition(stage: OnboardingStage): number {
  return MAIN_PATH.indexOf(stage === 'changes_requested' ? 'qualification_requested' : stage);
}

export interface FunnelStep {
  readonly stage: OnboardingStage;
  /** Cases at this stage now. */
  readonly current: number;
  /** Cases whose current stage comes later on the main path; `null` for the detour `changes_requested`. */
  readonly passed: number | null;
}

/** The funnel of every stage, in the domain's order, from the number of cases per current stage. */
export function funnelOf(counts: Readonly<Partial<Record<OnboardingStage, number>>>): FunnelStep[] {
  return ONBOARDING_STAGES.map((stage) => {
    const current = counts[stage] ?? 0;
    if (stage === 'changes_requested') return { stage, current, passed: null };
    const position = funnelPosition(stage);
    let passed = 0;
    for (const other of ONBOARDING_STAGES) if (funnelPosition(other) > position) passed += counts[other] ?? 0;
    return { stage, current, passed };
  });
}

/** Share of deadlines met, between 0 and 1, or `null` when none was settled. */
export function deadlineShare(met: number, missed: number): number | null {
  return met + missed === 0 ? null : met / (met + missed);
}

/** French labels of the indicators (console headings, table headers, chart legends). */
export const ANALYTICS_LABELS = {
  current: 'Dossiers à cette étape',
  passed: 'Dossiers l’ayant dépassée',
  stays: 'Passages terminés',
  median: 'Médiane (jours ouvrés)',
  p90: '90e centile (jours ouvrés)',
  sla: 'Délai cible (jours ouvrés)',
  met: 'Délais tenus',
  missed: 'Délais dépassés',
  share: 'Part des délais tenus',
  activeCases: 'Dossiers en cours',
  overdueCases: 'Dossiers en retard',
  unassigned: 'Non assigné',
} as const;
