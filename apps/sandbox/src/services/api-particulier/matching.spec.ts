import { bestMatch, normaliseCriterion, normaliseText, type Criteria, type CriterionValue } from './matching.js';

function criteria(params: Record<string, unknown>): Criteria {
  const map = new Map<string, CriterionValue>();
  for (const [key, value] of Object.entries(params)) {
    const criterion = normaliseCriterion(key, value);
    if (criterion === undefined) throw new Error(`bad ${key}`);
    map.set(key, criterion);
  }
  return map;
}

describe('case matching', () => {
  it('normalises case, accents, blanks and apostrophes', () => {
    expect(normaliseText('  Gérôme   jean-philippe ')).toBe('GEROME JEAN-PHILIPPE');
    expect(normaliseText('Ano’nymos')).toBe("ANO'NYMOS");
    expect(normaliseCriterion('prenoms', 'Angela Claire  Louise')).toEqual(['ANGELA', 'CLAIRE', 'LOUISE']);
    expect(normaliseCriterion('prenoms', ['Paul Louis', 'Élise'])).toEqual(['PAUL', 'LOUIS', 'ELISE']);
    expect(normaliseCriterion('moisDateNaissance', '08')).toBe(8);
    expect(normaliseCriterion('moisDateNaissance', 'août')).toBeUndefined();
    expect(normaliseCriterion('codeCogInseeCommuneNaissance', '2a004')).toBe('2A004');
  });

  const cases = [
    { name: 'a-short.yaml', criteria: criteria({ nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS'], anneeDateNaissance: 1982 }) },
    { name: 'b-long.yaml', criteria: criteria({ nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS'], anneeDateNaissance: 1982, moisDateNaissance: 12 }) },
    { name: 'c-usage.yaml', criteria: criteria({ nomNaissance: 'CNAF', nomUsage: 'MARTIN', prenoms: ['Georges'] }) },
    { name: 'd-empty.yaml', criteria: criteria({}) },
  ];

  it('needs every criterion of a case, and prefers the case with the most', () => {
    expect(bestMatch(cases, criteria({ nomNaissance: 'lefebvre', prenoms: ['Alexis'], anneeDateNaissance: '1982', moisDateNaissance: '12', jourDateNaissance: 27 }))?.name).toBe('b-long.yaml');
    expect(bestMatch(cases, criteria({ nomNaissance: 'Lefèbvre', prenoms: 'alexis', anneeDateNaissance: 1982 }))?.name).toBe('a-short.yaml');
    expect(bestMatch(cases, criteria({ nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS', 'JEAN'], anneeDateNaissance: 1982 }))).toBeUndefined();
    expect(bestMatch(cases, criteria({ nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS'] }))).toBeUndefined();
  });

  it('never matches a case without criteria, and can ignore some criteria', () => {
    expect(bestMatch(cases, criteria({ nomNaissance: 'CNAF', prenoms: ['Georges'] }))).toBeUndefined();
    expect(bestMatch(cases, criteria({ nomNaissance: 'CNAF', prenoms: ['Georges'] }), new Set(['nomUsage']))?.name).toBe('c-usage.yaml');
  });
});
