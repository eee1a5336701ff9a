import { Inject, Injectable } from '@nestjs/common';
import {
  ANALYTICS_WINDOW_DAYS,
  ONBOARDING_STAGES,
  ONBOARDING_STAGE_LABELS,
  STAGE_SLAS,
  deadlineShare,
  fromDayNumber,
  funnelOf,
  isOnboardingStage,
  parisCalendarDate,
  percentileOfHistogram,
  toDayNumber,
  type CalendarDate,
  type OnboardingStage,
} from '@fcplat/domain';
import type { PipelineAnalytics } from '@fcplat/contract';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { selectRows } from '../database/raw-sql.js';
import { refreshStayMeasures } from './stays.js';
import { refreshPendingTimings } from './timing.js';

/**
 * The stays that ended in the window as histograms: how many stays of each length in working days,
 * per stage and per assignee (the case's when the stay was measured, stored on the row: no join), in one pass (`GROUPING SETS`, a hash
 * aggregate: no sort of every stay; the overall histogram is the sum of the stages' ones, every stay
 * being at exactly one stage), read from `onboarding_stage_change_window_idx` alone (it
 * carries the measures, see stays.ts), with the deadlines met and missed. A missed deadline counts
 * only if the stay's first overdue day is within the window (it was settled then).
 * Parameter: $1 the window's first Paris date.
 */
export const ANALYTICS_STAYS_SQL = `
  SELECT c.from_stage AS stage, c.stay_assignee_id::text AS assignee_id,
         GROUPING(c.from_stage)::int AS by_stage_all, GROUPING(c.stay_assignee_id)::int AS by_assignee_all,
         c.stay_working_days AS days,
         count(*)::int AS stays,
         (count(*) FILTER (WHERE c.stay_met))::int AS met,
         (count(*) FILTER (WHERE NOT c.stay_met AND c.stay_overdue_on >= $1::date))::int AS missed
    FROM onboarding_stage_change c
   WHERE c.from_stage IS NOT NULL AND c.stay_working_days IS NOT NULL
     AND c.occurred_at >= ($1::date)::timestamp AT TIME ZONE 'Europe/Paris'
   GROUP BY GROUPING SETS ((c.from_stage, c.stay_working_days), (c.stay_assignee_id, c.stay_working_days))`;

/**
 * The cases now, per stage, per assignee and overall in one pass over `onboarding_case`: all cases
 * (the funnel), cases not live, overdue now, and cases that became overdue within the window and
 * are still at that stage (missed deadlines not settled by a stage change yet).
 * Parameters: $1 the window's first Paris date, $2 now.
 */
export const ANALYTICS_CASES_SQL = `
  SELECT c.stage, c.assignee_id::text AS assignee_id, GROUPING(c.stage)::int AS by_stage_all, GROUPING(c.assignee_id)::int AS by_assignee_all,
         count(*)::int AS cases,
         (count(*) FILTER (WHERE c.stage <> 'live'))::int AS active,
         (count(*) FILTER (WHERE c.overdue_at <= $2))::int AS overdue,
         (count(*) FILTER (WHERE c.overdue_at <= $2 AND c.overdue_at >= ($1::date)::timestamp AT TIME ZONE 'Europe/Paris'))::int AS missed
    FROM onboarding_case c
   GROUP BY GROUPING SETS ((c.stage), (c.assignee_id), ())`;

/** The window: today and the `ANALYTICS_WINDOW_DAYS - 1` days before it (Paris dates). */
export function analyticsWindow(now: Date): { from: CalendarDate; to: CalendarDate } {
  const today = parisCalendarDate(now);
  return { from: fromDayNumber(toDayNumber(today) - (ANALYTICS_WINDOW_DAYS - 1)), to: today };
}

interface StaysRow {
  readonly stage: string | null;
  readonly assignee_id: string | null;
  readonly by_stage_all: number;
  readonly by_assignee_all: number;
  readonly days: number;
  readonly stays: number;
  readonly met: number;
  readonly missed: number;
}

/** One group's stays: the histogram of their lengths, and the deadlines met and missed. */
interface StaysGroup {
  readonly histogram: [number, number][];
  met: number;
  missed: number;
}

interface CasesRow {
  readonly stage: string | null;
  readonly assignee_id: string | null;
  readonly by_stage_all: number;
  readonly by_assignee_all: number;
  readonly cases: number;
  readonly active: number;
  readonly overdue: number;
  readonly missed: number;
}

type Durations = Pick<PipelineAnalytics['overall'], 'stays' | 'medianWorkingDays' | 'p90WorkingDays' | 'deadlines'>;

/** Working days with one decimal (percentiles interpolate between two stays). */
function oneDecimal(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function durationsOf(stays: StaysGroup | undefined, missedNow: number): Durations {
  const met = stays?.met ?? 0;
  const missed = (stays?.missed ?? 0) + missedNow;
  const histogram = stays?.histogram ?? [];
  return {
    stays: histogram.reduce((sum, [, count]) => sum + count, 0),
    medianWorkingDays: oneDecimal(percentileOfHistogram(histogram, 0.5)),
    p90WorkingDays: oneDecimal(percentileOfHistogram(histogram, 0.9)),
    deadlines: { met, missed, share: deadlineShare(met, missed) },
  };
}

/** The grouping a row belongs to: one stage, one assignee (null = unassigned), or everything. */
function groupKey(row: { by_stage_all: number; by_assignee_all: number; stage: string | null; assignee_id: string | null }): string {
  if (row.by_stage_all === 0) return `stage:${row.stage}`;
  if (row.by_assignee_all === 0) return `assignee:${row.assignee_id ?? 'none'}`;
  return 'all';
}

/**
 * Staff analytics of the onboarding pipeline (see `libs/domain/src/onboarding-analytics.ts` for
 * the definitions): after measuring the stays not measured yet (stays.ts), two aggregate
 * statements in PostgreSQL whatever the number of cases (the stays as histograms, the cases now),
 * the median and 90th percentile read from the histograms, plus the display names of the assignees.
 */
@Injectable()
export class AnalyticsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async analytics(now = new Date()): Promise<PipelineAnalytics> {
    const manager = this.dataSource.manager;
    await refreshPendingTimings(manager);
    await refreshStayMeasures(manager);
    const { from, to: today } = analyticsWindow(now);
    const stays = await selectRows<StaysRow>(manager, ANALYTICS_STAYS_SQL, [from]);
    const cases = await selectRows<CasesRow>(manager, ANALYTICS_CASES_SQL, [from, now]);
    const staysBy = new Map<string, StaysGroup>();
    const add = (key: string, row: StaysRow): void => {
      const group = staysBy.get(key) ?? { histogram: [], met: 0, missed: 0 };
      group.histogram.push([row.days, row.stays]);
      group.met += row.met;
      group.missed += row.missed;
      staysBy.set(key, group);
    };
    for (const row of stays) {
      const key = groupKey(row);
      add(key, row);
      if (key.startsWith('stage:')) add('all', row);
    }
    const casesBy = new Map(cases.map((r) => [groupKey(r), r]));

    const counts: Partial<Record<OnboardingStage, number>> = {};
    for (const row of cases) if (row.by_stage_all === 0 && row.stage && isOnboardingStage(row.stage)) counts[row.stage] = row.cases;
    const funnel = funnelOf(counts).map((step) => ({ ...step, label: ONBOARDING_STAGE_LABELS[step.stage] }));

    const stageRows = ONBOARDING_STAGES.map((stage) => ({
      stage,
      label: ONBOARDING_STAGE_LABELS[stage],
      slaWorkingDays: STAGE_SLAS[stage].workingDays,
      ...durationsOf(staysBy.get(`stage:${stage}`), casesBy.get(`stage:${stage}`)?.missed ?? 0),
    }));

    const all = casesBy.get('all');
    const overall = { activeCases: all?.active ?? 0, overdueCases: all?.overdue ?? 0, ...durationsOf(staysBy.get('all'), all?.missed ?? 0) };

    // Everyone who has cases now or whose cases ended a stay in the window.
    const assigneeIds = new Set<string | null>();
    for (const row of [...cases, ...stays]) if (row.by_stage_all === 1 && row.by_assignee_all === 0) assigneeIds.add(row.assignee_id);
    const ids = [...assigneeIds].filter((id): id is string => id !== null);
    const names = new Map(
      (ids.length === 0
        ? []
        : await selectRows<{ id: string; display_name: string }>(manager, `SELECT id::text AS id, display_name FROM app_user WHERE id = ANY($1::uuid[])`, [ids])
      ).map((u) => [u.id, u.display_name]),
    );
    const assignees = [...assigneeIds]
      .map((id) => {
        const key = `assignee:${id ?? 'none'}`;
        const current = casesBy.get(key);
        return {
          assignee: id === null ? null : { id, displayName: names.get(id) ?? '' },
          activeCases: current?.active ?? 0,
          overdueCases: current?.overdue ?? 0,
          ...durationsOf(staysBy.get(key), current?.missed ?? 0),
        };
      })
      // Named staff first, by name (French collation), the unassigned cases last.
      .sort((a, b) => (a.assignee === null ? 1 : b.assignee === null ? -1 : a.assignee.displayName.localeCompare(b.assignee.displayName, 'fr')));

    return { window: { days: ANALYTICS_WINDOW_DAYS, from, to: today }, funnel, stages: stageRows, overall, assignees };
  }
}
