import { deadlineShare, funnelOf, funnelPosition, weekdayPublicHolidays } from './onboarding-analytics.js';
import { workingDaysBetween } from './working-days.js';

describe('funnelOf', () => {
  it('counts as passed the cases whose current stage is later on the main path', () => {
    const funnel = funnelOf({ created: 4, internal_check: 2, changes_requested: 1, qualification_requested: 3, live: 5 });
    const byStage = new Map(funnel.map((s) => [s.stage, s]));
    expect(byStage.get('created')).toEqual({ stage: 'created', current: 4, passed: 11 });
    // The detour stands at the qualification's level: it has passed internal_check, not the qualification.
    expect(byStage.get('internal_check')).toEqual({ stage: 'internal_check', current: 2, passed: 9 });
    expect(byStage.get('qualification_requested')).toEqual({ stage: 'qualification_requested', current: 3, passed: 5 });
    expect(byStage.get('changes_requested')).toEqual({ stage: 'changes_requested', current: 1, passed: null });
    expect(byStage.get('live')).toEqual({ stage: 'live', current: 5, passed: 0 });
    expect(funnel).toHaveLength(11);
  });

  it('places the detour at the qualification request', () => {
    expect(funnelPosition('changes_requested')).toBe(funnelPosition('qualification_requested'));
  });
});

describe('weekdayPublicHolidays', () => {
  it('lists the weekday holidays only, sorted', () => {
    const holidays = weekdayPublicHolidays(2026, 2026);
    // 2026: 1 Jan (Thu), Easter Monday 6 Apr, 1 May (Fri), 8 May (Fri), Ascension 14 May, Whit Monday 25 May,
    // 14 Jul (Tue), 11 Nov (Wed), 25 Dec (Fri); 15 Aug is a Saturday and 1 Nov a Sunday.
    expect(holidays).toEqual(['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-11-11', '2026-12-25']);
  });

  it('makes weekdays minus holidays equal the domain’s working-day count', () => {
    // The SQL count is « weekdays in (from, to] minus weekday holidays in (from, to] ».
    const holidays = weekdayPublicHolidays(2025, 2026);
    const weekdays = (from: string, to: string): number => {
      let n = 0;
      for (let d = new Date(`${from}T00:00:00Z`).getTime() + 86_400_000; d <= new Date(`${to}T00:00:00Z`).getTime(); d += 86_400_000) {
        const day = new Date(d).getUTCDay();
        if (day !== 0 && day !== 6) n += 1;
      }
      return n;
    };
    for (const [from, to] of [['2025-12-24', '2026-01-05'], ['2026-04-30', '2026-05-26'], ['2026-01-01', '2026-12-31']] as const) {
      const inRange = holidays.filter((h) => h > from && h <= to).length;
      expect(weekdays(from, to) - inRange).toBe(workingDaysBetween(from, to));
    }
  });
});

describe('deadlineShare', () => {
  it('is met over settled outcomes, null without any', () => {
    expect(deadlineShare(3, 1)).toBe(0.75);
    expect(deadlineShare(0, 0)).toBeNull();
  });
});
