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
 *   dates, national public holidays). Only stays that *ended* within the window count (a stay still
 *   running has no length yet).
 * - **Deadlines met**: every stay at a stage with an SLA is settled once: *met* when the case left
 *   the stage within the SLA (settled on the day it left), *missed* on the first day it was overdue
 *   (whether it left since or not). The share is met / (met + missed) over the outcomes settled in
 *   the window.
 */
import { MAIN_PATH, ONBOARDING_STAGES, type OnboardingStage } from './onboarding.js';
import { frenchPublicHolidays, isWeekend, type CalendarDate } from './working-days.js';

/** The window of the time and deadline indicators, in calendar days up to today (Paris). */
export const ANALYTICS_WINDOW_DAYS = 90;

/** The first year whose public holidays the SQL working-day count knows (no case is older). */
export const ANALYTICS_FIRST_YEAR = 2000;

/**
 * The national public holidays that fall on a weekday from `fromYear` to `toYear`, sorted: the
 * holidays a working-day count must subtract from the weekdays (a holiday on a Saturday or a
 * Sunday is not a weekday anyway). The API passes them to PostgreSQL as a `date[]`.
 */
export function weekdayPublicHolidays(fromYear: number, toYear: number): CalendarDate[] {
  const dates: CalendarDate[] = [];
  for (let year = fromYear; year <= toYear; year += 1) {
    for (const holiday of frenchPublicHolidays(year)) if (!isWeekend(holiday.date)) dates.push(holiday.date);
  }
  return dates;
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
