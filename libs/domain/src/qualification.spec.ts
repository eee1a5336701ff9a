import {
  QUALIFICATION_ITEMS,
  QUALIFICATION_ITEM_IDS,
  applicableItems,
  applyItemResult,
  buildChecklist,
  checklistSummary,
  isQualificationItemId,
  isRobotCheckable,
  qualificationItem,
  type ChecklistEntry,
  type QualificationItemId,
} from './qualification.js';

const CONNEXION_ONLY: readonly QualificationItemId[] = [
  'FC-03', 'FC-04', 'FC-05', 'FC-06', 'FC-07', 'FC-10', 'FC-12', 'FC-14', 'FC-22',
];

function passedAll(ids: readonly QualificationItemId[]): ChecklistEntry[] {
  return ids.map((id) => ({ id, status: 'passed', source: 'robot', checkedAt: '2026-03-02T10:00:00Z' }));
}

describe('catalogue', () => {
  it('has the 22 prerequisites FC-01 … FC-22 in order', () => {
    expect(QUALIFICATION_ITEMS.map((item) => item.id)).toEqual(QUALIFICATION_ITEM_IDS);
    expect(QUALIFICATION_ITEM_IDS).toHaveLength(22);
    QUALIFICATION_ITEM_IDS.forEach((id, index) => expect(id).toBe(`FC-${String(index + 1).padStart(2, '0')}`));
  });

  it('assigns the modes of the catalogue (docs/requirements.md)', () => {
    for (const item of QUALIFICATION_ITEMS) {
      expect(item.modes).toEqual(CONNEXION_ONLY.includes(item.id) ? ['C'] : ['C', 'D']);
    }
  });

  it('assigns the check kinds of the catalogue (docs/requirements.md)', () => {
    const checks = Object.fromEntries(QUALIFICATION_ITEMS.map((item) => [item.id, item.checks]));
    expect(checks['FC-01']).toEqual(['browser']);
    expect(checks['FC-08']).toEqual(['browser', 'protocol']);
    expect(checks['FC-09']).toEqual(['protocol']);
    expect(checks['FC-11']).toEqual(['browser', 'manual']);
    expect(checks['FC-13']).toEqual(['browser', 'protocol']);
    expect(checks['FC-17']).toEqual(['protocol']);
    expect(checks['FC-22']).toEqual(['manual']);
    const protocolOnly = QUALIFICATION_ITEMS.filter((i) => i.checks.length === 1 && i.checks[0] === 'protocol');
    expect(protocolOnly.map((i) => i.id)).toEqual(['FC-09', 'FC-12', 'FC-17', 'FC-18', 'FC-19', 'FC-20', 'FC-21']);
  });

  it('has French titles and descriptions', () => {
    for (const item of QUALIFICATION_ITEMS) {
      expect(item.title.length).toBeGreaterThan(5);
      expect(item.description.length).toBeGreaterThan(20);
    }
    expect(qualificationItem('FC-01').description).toContain('209 × 56 px');
    expect(qualificationItem('FC-19').title).toContain('eidas1');
    expect(qualificationItem('FC-20').description).toContain('22 caractères');
  });

  it('marks only FC-11, FC-12 and FC-22 as conditional', () => {
    expect(QUALIFICATION_ITEMS.filter((i) => i.conditional).map((i) => i.id)).toEqual(['FC-11', 'FC-12', 'FC-22']);
  });

  it('looks items up by id', () => {
    expect(isQualificationItemId('FC-07')).toBe(true);
    expect(isQualificationItemId('FC-23')).toBe(false);
    expect(() => qualificationItem('FC-23' as QualificationItemId)).toThrow(RangeError);
    expect(isRobotCheckable(qualificationItem('FC-22'))).toBe(false);
    expect(isRobotCheckable(qualificationItem('FC-11'))).toBe(true);
  });
});

describe('applicableItems', () => {
  it('applies all 22 items to a login service', () => {
    expect(applicableItems({ connexion: true, dataRetrieval: false })).toHaveLength(22);
    expect(applicableItems({ connexion: true, dataRetrieval: true })).toHaveLength(22);
  });

  it('applies the 13 C+D items to a data-retrieval-only service', () => {
    const ids = applicableItems({ connexion: false, dataRetrieval: true }).map((i) => i.id);
    expect(ids).toHaveLength(13);
    for (const id of CONNEXION_ONLY) expect(ids).not.toContain(id);
  });

  it('applies nothing without a mode', () => {
    expect(applicableItems({ connexion: false, dataRetrieval: false })).toEqual([]);
  });
});

describe('buildChecklist', () => {
  it('fills missing applicable items with todo and drops inapplicable ones', () => {
    const list = buildChecklist({ connexion: false, dataRetrieval: true }, [
      { id: 'FC-01', status: 'passed', source: 'robot' },
      { id: 'FC-05', status: 'failed', source: 'manual' },
    ]);
    expect(list).toHaveLength(13);
    expect(list[0]).toEqual({ id: 'FC-01', status: 'passed', source: 'robot' });
    expect(list[1]).toEqual({ id: 'FC-02', status: 'todo', source: 'manual' });
    expect(list.some((e) => e.id === 'FC-05')).toBe(false);
  });
});

describe('checklistSummary', () => {
  const modes = { connexion: true, dataRetrieval: false };

  it('counts statuses and sources', () => {
    const summary = checklistSummary(
      buildChecklist(modes, [
        ...passedAll(['FC-01', 'FC-02', 'FC-03']),
        { id: 'FC-04', status: 'passed', source: 'manual' },
        { id: 'FC-05', status: 'failed', source: 'robot' },
        { id: 'FC-22', status: 'not_applicable', source: 'manual' },
      ]),
    );
    expect(summary.total).toBe(22);
    expect(summary.counts).toEqual({ todo: 16, passed: 4, failed: 1, not_applicable: 1 });
    expect(summary.bySource).toEqual({ robot: 4, manual: 2 });
    expect(summary.failed).toEqual(['FC-05']);
    expect(summary.readyForQualification).toBe(false);
  });

  it('lists failures first, then pending items, with French messages', () => {
    const summary = checklistSummary([
      { id: 'FC-01', status: 'todo', source: 'manual' },
      { id: 'FC-05', status: 'failed', source: 'robot' },
      { id: 'FC-13', status: 'not_applicable', source: 'manual' },
    ]);
    expect(summary.blocking).toEqual([
      { id: 'FC-05', cause: 'failed', message: 'FC-05 FranceConnect en premier mode de connexion : non conforme' },
      {
        id: 'FC-01',
        cause: 'todo',
        message: 'FC-01 Bouton FranceConnect dans la section Connexion : pas encore vérifié',
      },
      {
        id: 'FC-13',
        cause: 'not_applicable_not_allowed',
        message: 'FC-13 Ni fenêtre pop-up ni iframe : ne peut pas être déclaré sans objet',
      },
    ]);
  });

  it('is ready when every item passed or is legitimately not applicable', () => {
    const entries = buildChecklist(modes, [
      ...passedAll(QUALIFICATION_ITEM_IDS.filter((id) => id !== 'FC-11' && id !== 'FC-22')),
      { id: 'FC-11', status: 'not_applicable', source: 'manual', note: 'Pas de comptes locaux préexistants' },
      { id: 'FC-22', status: 'not_applicable', source: 'manual' },
    ]);
    const summary = checklistSummary(entries);
    expect(summary.blocking).toEqual([]);
    expect(summary.readyForQualification).toBe(true);
  });

  it('is never ready when empty', () => {
    expect(checklistSummary([]).readyForQualification).toBe(false);
  });
});

describe('applyItemResult', () => {
  const at = '2026-03-02T10:00:00Z';

  it('lets a person set any status', () => {
    expect(applyItemResult('FC-22', undefined, { status: 'not_applicable', source: 'manual', checkedAt: at, note: 'Pas de données sensibles' })).toEqual({
      ok: true,
      entry: { id: 'FC-22', status: 'not_applicable', source: 'manual', checkedAt: at, note: 'Pas de données sensibles' },
    });
    expect(
      applyItemResult('FC-05', { id: 'FC-05', status: 'failed', source: 'robot' }, { status: 'passed', source: 'manual', checkedAt: at }),
    ).toEqual({ ok: true, entry: { id: 'FC-05', status: 'passed', source: 'manual', checkedAt: at } });
  });

  it('lets the robot fill and refresh machine-checkable items', () => {
    expect(applyItemResult('FC-01', undefined, { status: 'failed', source: 'robot', checkedAt: at })).toMatchObject({ ok: true });
    expect(
      applyItemResult('FC-01', { id: 'FC-01', status: 'failed', source: 'robot' }, { status: 'passed', source: 'robot', checkedAt: at }),
    ).toMatchObject({ ok: true, entry: { status: 'passed', source: 'robot' } });
    expect(
      applyItemResult('FC-01', { id: 'FC-01', status: 'todo', source: 'manual' }, { status: 'passed', source: 'robot', checkedAt: at }),
    ).toMatchObject({ ok: true });
  });

  it('keeps the robot away from manual items, n/a decisions and human verdicts', () => {
    expect(applyItemResult('FC-22', undefined, { status: 'passed', source: 'robot', checkedAt: at })).toEqual({
      ok: false,
      message: 'FC-22 ne peut être vérifié que par une personne.',
    });
    expect(applyItemResult('FC-12', undefined, { status: 'not_applicable', source: 'robot', checkedAt: at })).toMatchObject({
      ok: false,
    });
    expect(
      applyItemResult('FC-05', { id: 'FC-05', status: 'passed', source: 'manual' }, { status: 'failed', source: 'robot', checkedAt: at }),
    ).toMatchObject({ ok: false });
  });
});

describe('robotDisagrees', () => {
  it('is true only where a person and the robot contradict each other on conforme / non conforme', async () => {
    const { robotDisagrees, ITEM_STATUSES, ROBOT_VERDICTS } = await import('./qualification.js');
    const disagreements = ITEM_STATUSES.flatMap((person) => ROBOT_VERDICTS.filter((robot) => robotDisagrees(person, robot)).map((robot) => `${person}/${robot}`));
    expect(disagreements).toEqual(['passed/failed', 'failed/passed']);
    expect(robotDisagrees(undefined, 'failed')).toBe(false);
    expect(robotDisagrees('passed', undefined)).toBe(false);
  });
});
