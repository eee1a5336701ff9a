import { deadlineShare, funnelOf, funnelPosition, measureStay, percentileOfHistogram } from './onboarding-analytics.js';

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

describe('measureStay', () => {
  it('measures in working days, holidays excluded, against the stage’s SLA', () => {
    // Thursday 30 April 2026 → Tuesday 12 May 2026: 1 May and 8 May (Fridays) are holidays → 6 working days.
    expect(measureStay('habilitations_validated', '2026-04-30', '2026-05-12')).toEqual({ workingDays: 6, overdueOn: '2026-05-12', met: false });
    expect(measureStay('habilitations_validated', '2026-04-30', '2026-05-11')).toEqual({ workingDays: 5, overdueOn: '2026-05-12', met: true });
    expect(measureStay('live', '2026-04-30', '2026-05-11')).toEqual({ workingDays: 5, overdueOn: null, met: null });
  });
});

describe('percentileOfHistogram', () => {
  it('interpolates like percentile_cont', () => {
    expect(percentileOfHistogram([[2, 1], [7, 1], [12, 1], [40, 1]], 0.5)).toBe(9.5);
    expect(percentileOfHistogram([[12, 1], [2, 2], [3, 1], [4, 1], [5, 1]], 0.5)).toBe(3.5);
    expect(percentileOfHistogram([[2, 2], [3, 1], [4, 1], [5, 1], [12, 1]], 0.9)).toBeCloseTo(8.5);
    expect(percentileOfHistogram([[4, 1], [5, 1]], 0.9)).toBeCloseTo(4.9);
    expect(percentileOfHistogram([[7, 3]], 0.9)).toBe(7);
    expect(percentileOfHistogram([], 0.5)).toBeNull();
  });
});

describe('deadlineShare', () => {
  it('is met over settled outcomes, null without any', () => {
    expect(deadlineShare(3, 1)).toBe(0.75);
    expect(deadlineShare(0, 0)).toBeNull();
  });
});
