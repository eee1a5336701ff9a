import { APIS } from './catalogue.js';
import { ApiParticulierHttpError } from './errors.js';
import { franceConnectCriteria, identityCriteria, ineCriteria, periodCriteria } from './params.js';

const QF = APIS.quotient_familial.identity;
const MESRI = APIS.statut_etudiant.identity;
const CNOUS = APIS.statut_etudiant_boursier.identity;

const lefebvre = {
  nomNaissance: 'Lefebvre',
  'prenoms[]': 'Alexis',
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '08480',
  anneeDateNaissance: '1982',
  moisDateNaissance: '12',
};

function query(params: Record<string, string | string[]>, without: string[] = []): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (without.includes(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  return search;
}

function refusal(run: () => unknown): { status: number; code: string; parameter: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiParticulierHttpError) return { status: error.status, code: error.entry.code, parameter: error.entry.source?.parameter };
    throw error;
  }
  throw new Error('accepted');
}

describe('API Particulier parameters', () => {
  it('turns a valid pivot identity into criteria', () => {
    expect(Object.fromEntries(identityCriteria(query({ ...lefebvre, nomUsage: 'Martin', 'prenoms[]': ['Alexis', 'Gérôme'] }), QF, 2026))).toEqual({
      nomNaissance: 'LEFEBVRE',
      nomUsage: 'MARTIN',
      prenoms: ['ALEXIS', 'GEROME'],
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '08480',
      anneeDateNaissance: 1982,
      moisDateNaissance: 12,
    });
    expect(identityCriteria(query({ ...lefebvre, 'prenoms[]': [], prenoms: 'Alexis' }), QF, 2026).get('prenoms')).toEqual(['ALEXIS']);
    // Born abroad: no commune needed. Born in France: the commune's name with its department and year will do.
    expect(() => identityCriteria(query({ ...lefebvre, codeCogInseePaysNaissance: '99350' }, ['codeCogInseeCommuneNaissance']), QF, 2026)).not.toThrow();
    expect(() =>
      identityCriteria(query({ ...lefebvre, nomCommuneNaissance: 'Gennevilliers', codeCogInseeDepartementNaissance: '92' }, ['codeCogInseeCommuneNaissance']), QF, 2026),
    ).not.toThrow();
    // MESRI takes no country nor usage name: ignored.
    expect(identityCriteria(query({ ...lefebvre, jourDateNaissance: '27', nomUsage: 'X' }), MESRI, 2026).has('codeCogInseePaysNaissance')).toBe(false);
  });

  it.each([
    ['nomNaissance missing', QF, query(lefebvre, ['nomNaissance']), 'nomNaissance'],
    ['no given name', QF, query(lefebvre, ['prenoms[]']), 'prenoms[]'],
    ['four given names', QF, query({ ...lefebvre, 'prenoms[]': ['A', 'B', 'C', 'D'] }), 'prenoms[]'],
    ['an empty given name', QF, query({ ...lefebvre, 'prenoms[]': ['A', ' '] }), 'prenoms[]'],
    ['sex missing', QF, query(lefebvre, ['sexeEtatCivil']), 'sexeEtatCivil'],
    ['sex X', QF, query({ ...lefebvre, sexeEtatCivil: 'X' }), 'sexeEtatCivil'],
    ['country missing', QF, query(lefebvre, ['codeCogInseePaysNaissance']), 'codeCogInseePaysNaissance'],
    ['country of 4 digits', QF, query({ ...lefebvre, codeCogInseePaysNaissance: '9910' }), 'codeCogInseePaysNaissance'],
    ['born in France without commune', QF, query(lefebvre, ['codeCogInseeCommuneNaissance']), 'codeCogInseeCommuneNaissance'],
    ['commune name without department', QF, query({ ...lefebvre, nomCommuneNaissance: 'Sceaux' }, ['codeCogInseeCommuneNaissance']), 'codeCogInseeCommuneNaissance'],
    [
      'commune name without year',
      QF,
      query({ ...lefebvre, nomCommuneNaissance: 'Sceaux', codeCogInseeDepartementNaissance: '92' }, ['codeCogInseeCommuneNaissance', 'anneeDateNaissance']),
      'anneeDateNaissance',
    ],
    ['commune of 4 characters', QF, query({ ...lefebvre, codeCogInseeCommuneNaissance: '0848' }), 'codeCogInseeCommuneNaissance'],
    ['month not a number', QF, query({ ...lefebvre, moisDateNaissance: 'décembre' }), 'moisDateNaissance'],
    ['month 13', QF, query({ ...lefebvre, moisDateNaissance: '13' }), 'moisDateNaissance'],
    ['year in the future', QF, query({ ...lefebvre, anneeDateNaissance: '2999' }), 'anneeDateNaissance'],
    ['name repeated', QF, query({ ...lefebvre, nomNaissance: ['A', 'B'] }), 'nomNaissance'],
    ['MESRI without day', MESRI, query(lefebvre), 'jourDateNaissance'],
    ['CNOUS without year', CNOUS, query({ ...lefebvre, jourDateNaissance: '27' }, ['anneeDateNaissance']), 'anneeDateNaissance'],
  ])('refuses %s with 422 00366 naming the parameter', (_name, rules, search, parameter) => {
    expect(refusal(() => identityCriteria(search, rules, 2026))).toEqual({ status: 422, code: '00366', parameter });
  });

  it('lets CNOUS go without sex, not MESRI', () => {
    const search = query({ ...lefebvre, jourDateNaissance: '27' }, ['sexeEtatCivil']);
    expect(() => identityCriteria(search, CNOUS, 2026)).not.toThrow();
    expect(refusal(() => identityCriteria(search, MESRI, 2026)).parameter).toBe('sexeEtatCivil');
  });

  it('checks the quotient familial’s period and the INE', () => {
    expect(Object.fromEntries(periodCriteria(query({ annee: '2024', mois: '9' }), 2026))).toEqual({ annee: 2024, mois: 9 });
    expect(refusal(() => periodCriteria(query({ mois: '0' }), 2026))).toMatchObject({ code: '00366', parameter: 'mois' });
    expect(ineCriteria(query({ ine: '1234567890a' })).get('ine')).toBe('1234567890A');
    for (const bad of [{}, { ine: '' }, { ine: '123' }, { ine: '1234567890-A' }, { ine: ['1234567890A', '1234567890B'] }] as Record<string, string | string[]>[]) {
      expect(refusal(() => ineCriteria(query(bad)))).toEqual({ status: 422, code: '00360', parameter: 'ine' });
    }
  });

  it('reads FranceConnect’s pivot identity as criteria', () => {
    const identity = {
      given_name: 'Paul Louis',
      given_name_array: ['Paul', 'Louis'],
      family_name: 'DUPONT',
      birthdate: '1962-08-24',
      gender: 'male',
      birthplace: '75107',
      birthcountry: '99100',
    };
    expect(Object.fromEntries(franceConnectCriteria(identity))).toEqual({
      nomNaissance: 'DUPONT',
      prenoms: ['PAUL', 'LOUIS'],
      anneeDateNaissance: 1962,
      moisDateNaissance: 8,
      jourDateNaissance: 24,
      sexeEtatCivil: 'M',
      codeCogInseeCommuneNaissance: '75107',
      codeCogInseePaysNaissance: '99100',
    });
    const presumed = franceConnectCriteria({ ...identity, birthdate: '1992-11-00', gender: 'unspecified', birthplace: '', birthcountry: '99217' });
    expect(Object.fromEntries(presumed)).toEqual({ nomNaissance: 'DUPONT', prenoms: ['PAUL', 'LOUIS'], anneeDateNaissance: 1992, moisDateNaissance: 11, codeCogInseePaysNaissance: '99217' });
  });
});
