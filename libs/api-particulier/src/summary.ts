/**
 * What the product keeps of an answer: the few values a feature needs (a canteen price needs the
 * quotient familial's value and month, not the family's names, children or address). The call
 * log stores only this, encrypted, for a limited time; the raw answer is never stored.
 */
import { parisCalendarDate, type ApiParticulierApi } from '@fcplat/domain';
import type { RequiredData as ResponseData } from './responses.js';

export interface QuotientFamilialSummary {
  readonly api: 'quotient_familial';
  /** `null` when the habilitation's scopes do not cover the quotient (production masks it). */
  readonly quotientFamilial: { readonly valeur: number; readonly annee: number; readonly mois: number; readonly fournisseur: 'CNAF' | 'MSA' } | null;
  readonly nombreEnfants: number | null;
}

export interface StatutEtudiantSummary {
  readonly api: 'statut_etudiant';
  readonly estInscrit: boolean;
  /** The current or latest admission. */
  readonly admission: { readonly etablissement: string | null; readonly dateDebut: string | null; readonly dateFin: string | null; readonly regime: string | null } | null;
}

export interface EtudiantBoursierSummary {
  readonly api: 'statut_etudiant_boursier';
  readonly estBoursier: boolean | null;
  readonly echelon: string | null;
  readonly dateRentree: string | null;
  readonly dureeVersementMois: number | null;
}

export interface ComplementaireSanteSolidaireSummary {
  readonly api: 'complementaire_sante_solidaire';
  readonly estBeneficiaire: boolean;
  readonly avecParticipation: boolean | null;
  readonly dateDebutDroit: string | null;
}

export type CallSummary = QuotientFamilialSummary | StatutEtudiantSummary | EtudiantBoursierSummary | ComplementaireSanteSolidaireSummary;

export function summarize<A extends ApiParticulierApi>(api: A, data: ResponseData[A], today: Date = new Date()): CallSummary {
  switch (api) {
    case 'quotient_familial': {
      const d = data as ResponseData['quotient_familial'];
      const q = d.quotient_familial;
      return {
        api,
        quotientFamilial: q ? { valeur: q.valeur, annee: q.annee, mois: q.mois, fournisseur: q.fournisseur } : null,
        nombreEnfants: d.enfants ? d.enfants.length : null,
      };
    }
    case 'statut_etudiant': {
      const d = data as ResponseData['statut_etudiant'];
      const iso = parisCalendarDate(today);
      const admissions = [...(d.admissions ?? [])].sort((a, b) => (b.date_debut ?? '').localeCompare(a.date_debut ?? ''));
      const current = admissions.find((a) => (a.date_debut ?? '') <= iso && (!a.date_fin || a.date_fin >= iso)) ?? admissions[0];
      return {
        api,
        estInscrit: admissions.some((a) => a.est_inscrit === true && (a.date_debut ?? '') <= iso && (!a.date_fin || a.date_fin >= iso)),
        admission: current
          ? {
              etablissement: current.etablissement_etudes?.nom ?? null,
              dateDebut: current.date_debut ?? null,
              dateFin: current.date_fin ?? null,
              regime: current.regime_formation?.libelle ?? null,
            }
          : null,
      };
    }
    case 'statut_etudiant_boursier': {
      const d = data as ResponseData['statut_etudiant_boursier'];
      return {
        api,
        estBoursier: d.statut_boursier?.est_boursier ?? null,
        echelon: d.echelon_bourse?.echelon ?? null,
        dateRentree: d.periode_versement_bourse?.date_rentree ?? null,
        dureeVersementMois: d.periode_versement_bourse?.duree ?? null,
      };
    }
    case 'complementaire_sante_solidaire': {
      const d = data as ResponseData['complementaire_sante_solidaire'];
      return { api, estBeneficiaire: d.est_beneficiaire, avecParticipation: d.avec_participation ?? null, dateDebutDroit: d.date_debut_droit ?? null };
    }
    default:
      throw new TypeError(`unknown API ${String(api)}`);
  }
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** One line of French for lists and CSV exports (« QF 2550 (CNAF, juin 2023) »). */
export function describeSummary(summary: CallSummary): string {
  switch (summary.api) {
    case 'quotient_familial':
      return summary.quotientFamilial
        ? `Quotient familial ${summary.quotientFamilial.valeur} (${summary.quotientFamilial.fournisseur}, ${MONTHS[summary.quotientFamilial.mois - 1] ?? summary.quotientFamilial.mois} ${summary.quotientFamilial.annee})`
        : 'Quotient familial non communiqué';
    case 'statut_etudiant':
      return summary.estInscrit ? `Étudiant inscrit${summary.admission?.etablissement ? ` (${summary.admission.etablissement})` : ''}` : 'Pas d’inscription en cours';
    case 'statut_etudiant_boursier':
      return summary.estBoursier === null ? 'Statut boursier non communiqué' : summary.estBoursier ? `Boursier${summary.echelon ? `, échelon ${summary.echelon}` : ''}` : 'Non boursier';
    case 'complementaire_sante_solidaire':
      return summary.estBeneficiaire ? `Bénéficiaire de la C2S ${summary.avecParticipation ? 'avec' : 'sans'} participation financière` : 'Non bénéficiaire de la C2S';
  }
}
