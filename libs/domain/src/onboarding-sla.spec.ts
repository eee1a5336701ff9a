import { ONBOARDING_STAGES } from './onboarding.js';
import { STAGE_SLAS, computeWaiting, isOverdue, stageDeadline, stageTiming, type StageSla } from './onboarding-sla.js';

describe('STAGE_SLAS', () => {
  it('has an SLA for every stage, none for live', () => {
    for (const stage of ONBOARDING_STAGES) {
      const sla = STAGE_SLAS[stage];
      expect(sla.basis.length).toBeGreaterThan(0);
      if (stage === 'live') expect(sla.workingDays).toBeNull();
      else expect(sla.workingDays).toBeGreaterThan(0);
    }
  });

  it('uses the 7 working days announced by FranceConnect for production secrets', () => {
    expect(STAGE_SLAS.production_requested).toMatchObject({ workingDays: 7, waitingOn: 'franceconnect' });
  });
});

describe('computeWaiting', () => {
  it('counts working and calendar days between Paris dates', () => {
    // Friday 18:00 Paris → next Tuesday 09:00 Paris.
    expect(computeWaiting(new Date('2026-03-06T17:00:00Z'), new Date('2026-03-10T08:00:00Z'))).toEqual({
      workingDays: 2,
      calendarDays: 4,
    });
    expect(computeWaiting('2026-03-02', '2026-03-02')).toEqual({ workingDays: 0, calendarDays: 0 });
  });

  it('takes the Paris date of late-evening instants', () => {
    // Entered Friday 2 Jan 2026 at 00:30 Paris (Thursday 23:30 UTC, the 1 January holiday in UTC terms).
    expect(computeWaiting(new Date('2026-01-01T23:30:00Z'), '2026-01-05')).toEqual({ workingDays: 1, calendarDays: 3 });
  });
});

describe('isOverdue / stageDeadline', () => {
  const entered = new Date('2026-03-02T09:00:00Z'); // Monday 2 March 2026, 10:00 in Paris

  it('flags production secrets only after more than 7 working days', () => {
    expect(stageDeadline('production_requested', entered)).toBe('2026-03-11');
    expect(isOverdue('production_requested', entered, new Date('2026-03-11T16:00:00Z'))).toBe(false);
    expect(isOverdue('production_requested', entered, new Date('2026-03-12T08:00:00Z'))).toBe(true);
  });

  it('extends the deadline over holidays', () => {
    // Monday 4 May 2026: 8 May (Friday) and 14 May (Ascension) are holidays.
    expect(stageDeadline('production_requested', '2026-05-04')).toBe('2026-05-15');
    expect(isOverdue('production_requested', '2026-05-04', '2026-05-15')).toBe(false);
    expect(isOverdue('production_requested', '2026-05-04', '2026-05-16')).toBe(false);
    expect(isOverdue('production_requested', '2026-05-04', '2026-05-18')).toBe(true);
  });

  it('never flags a live case', () => {
    expect(stageDeadline('live', entered)).toBeNull();
    expect(isOverdue('live', '2020-01-01', '2030-01-01')).toBe(false);
  });

  it('accepts a custom SLA table', () => {
    const fast = { ...STAGE_SLAS, qualified: { workingDays: 1, waitingOn: 'client', basis: 'test' } satisfies StageSla };
    expect(isOverdue('qualified', '2026-03-02', '2026-03-04', fast)).toBe(true);
    expect(isOverdue('qualified', '2026-03-02', '2026-03-04')).toBe(false);
  });
});

describe('stageTiming', () => {
  it('summarises an overdue stage in French', () => {
    expect(stageTiming('production_requested', '2026-03-02', '2026-03-13')).toEqual({
      stage: 'production_requested',
      workingDays: 9,
      calendarDays: 11,
      slaWorkingDays: 7,
      deadline: '2026-03-11',
      overdue: true,
      overdueBy: 2,
      waitingOn: 'franceconnect',
      message: 'En attente de FranceConnect depuis 9 jours ouvrés (délai : 7) : en retard.',
    });
  });

  it('summarises a stage on time', () => {
    expect(stageTiming('internal_check', '2026-03-02', '2026-03-03')).toMatchObject({
      overdue: false,
      overdueBy: 0,
      message: 'En attente de l’éditeur depuis 1 jour ouvré (délai : 10).',
    });
  });

  it('has no deadline once live', () => {
    expect(stageTiming('live', '2026-03-02', '2026-03-09')).toMatchObject({
      slaWorkingDays: null,
      deadline: null,
      overdue: false,
      message: 'En production depuis 5 jours ouvrés.',
    });
  });
});
