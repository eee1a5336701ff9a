import { describeDrift, REQUIRED_SCHEMAS } from './responses.js';
import { summarize } from './summary.js';

const QF = {
  allocataires: [{ nom_naissance: 'LEFEBVRE', nom_usage: null, prenoms: 'ALEXIS', date_naissance: '1982-12-01', sexe: 'F' }],
  enfants: [],
  adresse: { destinataire: 'X', complement_information: null, complement_information_geographique: null, numero_libelle_voie: null, lieu_dit: null, code_postal_ville: null, pays: 'FRANCE' },
  quotient_familial: { fournisseur: 'CNAF', valeur: 2550, annee: 2023, mois: 6, annee_calcul: 2023, mois_calcul: 6 },
};

describe('tolerant reading of a 200', () => {
  it('accepts a drifted optional block and describes the drift by path and kind, never by value', () => {
    const data = { ...QF, adresse: null, allocataires: [{ ...QF.allocataires[0], sexe: 'X' }] };
    const required = REQUIRED_SCHEMAS.quotient_familial.safeParse(data);
    expect(required.success).toBe(true);
    expect(summarize('quotient_familial', required.data as never)).toMatchObject({ quotientFamilial: { valeur: 2550 }, nombreEnfants: 0 });
    const drift = describeDrift('quotient_familial', data);
    expect(drift).toContain('adresse: expected object');
    expect(drift).toContain('allocataires.[].sexe');
    expect(drift).not.toContain('LEFEBVRE');
    expect(drift).not.toContain('"X"');
  });

  it('refuses an answer without what the product reads', () => {
    const { valeur: _valeur, ...withoutValue } = QF.quotient_familial;
    expect(REQUIRED_SCHEMAS.quotient_familial.safeParse({ ...QF, quotient_familial: withoutValue }).success).toBe(false);
    expect(REQUIRED_SCHEMAS.quotient_familial.safeParse({ ...QF, enfants: null }).success).toBe(false);
    expect(REQUIRED_SCHEMAS.complementaire_sante_solidaire.safeParse({ avec_participation: true }).success).toBe(false);
    expect(REQUIRED_SCHEMAS.statut_etudiant_boursier.safeParse({ statut_boursier: { est_boursier: 'oui' } }).success).toBe(false);
  });

  it('reports no drift on a documented answer, and bounds a long description', () => {
    expect(describeDrift('quotient_familial', QF)).toBeNull();
    const many = { ...QF, allocataires: Array.from({ length: 200 }, (_, i) => ({ [`champ_${i}`]: 1 })) };
    expect(describeDrift('quotient_familial', many)?.length).toBeLessThanOrEqual(500);
  });
});
