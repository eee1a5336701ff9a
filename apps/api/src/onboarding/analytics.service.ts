import { Inject, Injectable } from '@nestjs/common';
import {
  ANALYTICS_FIRST_YEAR,
  ANALYTICS_WINDOW_DAYS,
  ONBOARDING_STAGES,
  ONBOARDING_STAGE_LABELS,
  STAGE_SLAS,
  deadlineShare,
  fromDayNumber,
  funnelOf,
  isOnboardingStage,
  parisCalendarDate,
  toDayNumber,
  weekdayPublicHolidays,
  type CalendarDate,
  type OnboardingStage,
} from '@fcplat/domain';
import type { PipelineAnalytics } from '@fcplat/contract';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { selectRows } from '../database/raw-sql.js';
import { refreshPendingTimings } from './timing.js';

/** Monday 1 January 1900: the origin of the weekday arithmetic below. */
const WEEKDAY_EPOCH = `DATE '1900-01-01'`;

/**
 * SQL expression: the working-day ordinal of a Paris calendar date `day` (a `date` expression),
 * i.e. weekdays since the epoch minus the weekday public holidays up to `day` (`holidays`: a sorted
 * `date[]` parameter from the domain's {@link weekdayPublicHolidays}; `width_bucket` counts, by
 * binary search, the holidays on or before `day`). The difference of two ordinals is the domain's
 * `workingDaysBetween` of the two dates: working days strictly after the first, up to and
 * including the second. Pure arithmetic, no calendar table, no series per row.
 */
export function workingDayOrdinalSql(day: string, holidays: string): string {
  const n = `((${day}) - ${WEEKDAY_EPOCH})`;
  return `(5 * (${n} / 7) + LEAST(${n} % 7 + 1, 5) - width_bucket((${day}), ${holidays}))`;
}

/** The Paris calendar date of a `timestamptz` expression. */
function parisDateSql(instant: string): string {
  return `((${instant}) AT TIME ZONE 'Europe/Paris')::date`;
}

/**
 * Stays at a stage that ended in the window, measured in working days and aggregated per stage,
 * per assignee and overall in one pass (`GROUPING SETS`). A stay ends with a stage change `c`
 * (`from_stage` = the stage left) found through `onboarding_stage_change_window_idx`; it started
 * with the previous change of the same case (`onboarding_stage_change_tenant_idx`, one index probe).
 * Parameters: $1 weekday holidays, $2 stages, $3 their SLAs, $4 the window's first Paris date.
 * A missed deadline counts only if the case became overdue within the window (its first overdue day
 * is on or after $4: the count up to the day before the window is still within the SLA).
 */
export const ANALYTICS_STAYS_SQL = `
  WITH sla AS (SELECT * FROM unnest($2::text[], $3::int[]) AS s(stage, sla)),
  ended AS (
    SELECT c.tenant_id, c.from_stage AS stage,
           ${parisDateSql('prev.occurred_at')} AS started_on, ${parisDateSql('c.occurred_at')} AS ended_on
      FROM onboarding_stage_change c
      CROSS JOIN LATERAL (
        SELECT p.occurred_at FROM onboarding_stage_change p
         WHERE p.tenant_id = c.tenant_id AND (p.occurred_at, p.id) < (c.occurred_at, c.id)
         ORDER BY p.occurred_at DESC, p.id DESC
         LIMIT 1) prev
     WHERE c.occurred_at >= ($4::date)::timestamp AT TIME ZONE 'Europe/Paris' AND c.from_stage IS NOT NULL
  ),
  measured AS (
    SELECT e.stage, oc.assignee_id, s.sla,
           ${workingDayOrdinalSql('e.ended_on', '$1::date[]')} - ${workingDayOrdinalSql('e.started_on', '$1::date[]')} AS days,
           ${workingDayOrdinalSql('$4::date - 1', '$1::date[]')} - ${workingDayOrdinalSql('e.started_on', '$1::date[]')} AS days_before_window
      FROM ended e
      JOIN onboarding_case oc ON oc.tenant_id = e.tenant_id
      LEFT JOIN sla s ON s.stage = e.stage
  )
  SELECT stage, assignee_id::text AS assignee_id, GROUPING(stage)::int AS by_stage_all, GROUPING(assignee_id)::int AS by_assignee_all,
         count(*)::int AS stays,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90,
         (count(*) FILTER (WHERE days <= sla))::int AS met,
         (count(*) FILTER (WHERE days > sla AND days_before_window <= sla))::int AS missed
    FROM measured
   GROUP BY GROUPING SETS ((stage), (assignee_id), ())`;

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

/** The window's first Paris date: today and the `ANALYTICS_WINDOW_DAYS - 1` days before it. */
export function analyticsWindow(now: Date): { from: CalendarDate; to: CalendarDate } {
  const today = parisCalendarDate(now);
  return { from: fromDayNumber(toDayNumber(today) - (ANALYTICS_WINDOW_DAYS - 1)), to: today };
}

/** The parameters of {@link ANALYTICS_STAYS_SQL} at instant `now` (holidays and SLAs from the domain). */
export function analyticsStaysParameters(now: Date): unknown[] {
  const { from, to } = analyticsWindow(now);
  const slaStages = ONBOARDING_STAGES.filter((s) => STAGE_SLAS[s].workingDays !== null);
  return [weekdayPublicHolidays(ANALYTICS_FIRST_YEAR, Number(to.slice(0, 4)) + 1), slaStages, slaStages.map((s) => STAGE_SLAS[s].workingDays), from];
}

interface StaysRow {
  readonly stage: string | null;
  readonly assignee_id: string | null;
  readonly by_stage_all: number;
  readonly by_assignee_all: number;
  readonly stays: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly met: number;
  readonly missed: number;
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
  return value === null ? null : Math.round(Number(value) * 10) / 10;
}

function durationsOf(stays: StaysRow | undefined, missedNow: number): Durations {
  const met = stays?.met ?? 0;
  const missed = (stays?.missed ?? 0) + missedNow;
  return {
    stays: stays?.stays ?? 0,
    medianWorkingDays: oneDecimal(stays?.median ?? null),
    p90WorkingDays: oneDecimal(stays?.p90 ?? null),
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
 * the definitions): two aggregate statements in PostgreSQL, whatever the number of cases, plus the
 * display names of the assignees found.
 */
@Injectable()
export class AnalyticsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async analytics(now = new Date()): Promise<PipelineAnalytics> {
    const manager = this.dataSource.manager;
    await refreshPendingTimings(manager);
    const { from, to: today } = analyticsWindow(now);
    const stays = await selectRows<StaysRow>(manager, ANALYTICS_STAYS_SQL, analyticsStaysParameters(now));
    const cases = await selectRows<CasesRow>(manager, ANALYTICS_CASES_SQL, [from, now]);
    const staysBy = new Map(stays.map((r) => [groupKey(r), r]));
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
