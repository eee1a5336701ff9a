import { summarize } from './summary.js';

/** Admission dates are French calendar days: « enrolled today » is decided on today's date in Paris. */
describe('summarize statut_etudiant', () => {
  const data = {
    admissions: [{ est_inscrit: true, date_debut: '2026-09-01', date_fin: '2027-08-31', etablissement_etudes: { nom: 'Université' }, regime_formation: { libelle: 'formation initiale' } }],
  } as never;

  it('is enrolled from the first day in Paris, even while it is still the day before in UTC', () => {
    expect(summarize('statut_etudiant', data, new Date('2026-08-31T22:30:00Z'))).toMatchObject({ estInscrit: true });
    expect(summarize('statut_etudiant', data, new Date('2026-08-31T21:30:00Z'))).toMatchObject({ estInscrit: false });
  });

  it('is no longer enrolled once the last day is over in Paris', () => {
    expect(summarize('statut_etudiant', data, new Date('2027-08-31T21:30:00Z'))).toMatchObject({ estInscrit: true });
    expect(summarize('statut_etudiant', data, new Date('2027-08-31T22:30:00Z'))).toMatchObject({ estInscrit: false });
  });
});
