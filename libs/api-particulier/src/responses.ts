/**
 * Shapes of the `data` block of the four supported APIs' 200 answers, from the API Particulier v3
 * OpenAPI description (libs/api-particulier/openapi/openapi-v3.yaml; the drift test checks these
 * against it). Production masks blocks the habilitation's scopes do not cover (no `adresse`
 * without `cnaf_adresse`, …), so every block is optional here; values inside a block are checked.
 */
import { z } from 'zod';
import type { ApiParticulierApi } from '@fcplat/domain';

const sex = z.enum(['M', 'F']);
const person = z.object({
  nom_naissance: z.string(),
  nom_usage: z.string().nullable().optional(),
  prenoms: z.string(),
  date_naissance: z.string(),
  sexe: sex,
});

export const quotientFamilialData = z.object({
  allocataires: z.array(person).optional(),
  enfants: z.array(person).optional(),
  adresse: z
    .object({
      destinataire: z.string().nullable(),
      complement_information: z.string().nullable(),
      complement_information_geographique: z.string().nullable(),
      numero_libelle_voie: z.string().nullable(),
      lieu_dit: z.string().nullable(),
      code_postal_ville: z.string().nullable(),
      pays: z.string().nullable(),
    })
    .optional(),
  quotient_familial: z
    .object({
      fournisseur: z.enum(['CNAF', 'MSA']),
      valeur: z.number().int(),
      annee: z.number().int(),
      mois: z.number().int(),
      annee_calcul: z.number().int(),
      mois_calcul: z.number().int(),
    })
    .optional(),
});

export const statutEtudiantData = z.object({
  admissions: z
    .array(
      z.object({
        date_debut: z.string().optional(),
        date_fin: z.string().nullable().optional(),
        est_inscrit: z.boolean().optional(),
        regime_formation: z.object({ libelle: z.string().optional(), code: z.string().optional() }).optional(),
        code_cog_insee_commune: z.string().nullable().optional(),
        etablissement_etudes: z.object({ uai: z.string().nullable().optional(), nom: z.string().nullable().optional() }).optional(),
      }),
    )
    .optional(),
  identite: z.object({ nom_naissance: z.string(), prenom: z.string(), date_naissance: z.string() }).optional(),
});

export const etudiantBoursierData = z.object({
  statut_boursier: z
    .object({ est_boursier: z.boolean(), est_radie: z.boolean().optional(), date_radiation: z.string().nullable().optional() })
    .optional(),
  periode_versement_bourse: z.object({ date_rentree: z.string(), duree: z.number() }).optional(),
  etablissement_etudes: z.object({ nom_commune: z.string().nullable(), nom_etablissement: z.string().nullable() }).optional(),
  echelon_bourse: z.object({ echelon: z.string(), echelon_bourse_regionale_provisoire: z.boolean().optional() }).optional(),
  email: z.string().nullable().optional(),
  identite: z
    .object({
      nom: z.string(),
      prenoms: z.array(z.string()),
      date_naissance: z.string(),
      nom_commune_naissance: z.string().nullable().optional(),
      sexe: sex.optional(),
    })
    .optional(),
});

export const complementaireSanteSolidaireData = z.object({
  est_beneficiaire: z.boolean(),
  avec_participation: z.boolean().nullable().optional(),
  date_debut_droit: z.string().nullable().optional(),
});

export const RESPONSE_SCHEMAS = {
  quotient_familial: quotientFamilialData,
  statut_etudiant: statutEtudiantData,
  statut_etudiant_boursier: etudiantBoursierData,
  complementaire_sante_solidaire: complementaireSanteSolidaireData,
} as const satisfies Record<ApiParticulierApi, z.ZodType>;

/**
 * What the product reads (`summarize()` in summary.ts), validated strictly: an answer that fails
 * these is unusable (`APIP_INVALID_RESPONSE`). Everything else of the documented shape above is
 * only checked for drift: a block that no longer matches (`"adresse": null`) is recorded as a
 * schema-drift warning on the call while the result is kept, because the upstream has answered
 * and counted the call.
 */
export const REQUIRED_SCHEMAS = {
  quotient_familial: z.object({
    enfants: z.array(z.unknown()).optional(),
    quotient_familial: quotientFamilialData.shape.quotient_familial,
  }),
  statut_etudiant: z.object({
    admissions: z
      .array(
        z.object({
          date_debut: z.string().optional(),
          date_fin: z.string().nullable().optional(),
          est_inscrit: z.boolean().optional(),
          regime_formation: z.object({ libelle: z.string().optional() }).optional(),
          etablissement_etudes: z.object({ nom: z.string().nullable().optional() }).optional(),
        }),
      )
      .optional(),
  }),
  statut_etudiant_boursier: z.object({
    statut_boursier: z.object({ est_boursier: z.boolean() }).optional(),
    periode_versement_bourse: z.object({ date_rentree: z.string(), duree: z.number() }).optional(),
    echelon_bourse: z.object({ echelon: z.string() }).optional(),
  }),
  complementaire_sante_solidaire: complementaireSanteSolidaireData,
} as const satisfies Record<ApiParticulierApi, z.ZodType>;

export type QuotientFamilialData = z.infer<typeof quotientFamilialData>;
export type StatutEtudiantData = z.infer<typeof statutEtudiantData>;
export type EtudiantBoursierData = z.infer<typeof etudiantBoursierData>;
export type ComplementaireSanteSolidaireData = z.infer<typeof complementaireSanteSolidaireData>;

export interface ResponseData {
  quotient_familial: QuotientFamilialData;
  statut_etudiant: StatutEtudiantData;
  statut_etudiant_boursier: EtudiantBoursierData;
  complementaire_sante_solidaire: ComplementaireSanteSolidaireData;
}

/** The part of an answer the product reads: what {@link REQUIRED_SCHEMAS} guarantees. */
export type RequiredData = { [A in ApiParticulierApi]: z.infer<(typeof REQUIRED_SCHEMAS)[A]> };

/** Longest drift description kept on a call (paths and issue codes, never values). */
const MAX_DRIFT_LENGTH = 500;

/**
 * Describes how `data` departs from the documented shape, or null when it does not: the paths
 * and the kinds of mismatch only (`adresse: expected object`), never a value (no personal data
 * in the call log).
 */
export function describeDrift(api: ApiParticulierApi, data: unknown): string | null {
  const parsed = RESPONSE_SCHEMAS[api].safeParse(data);
  if (parsed.success) return null;
  const parts = parsed.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? '[]' : String(p))).join('.') : '(data)';
    const expected = 'expected' in issue && typeof issue.expected === 'string' ? `expected ${issue.expected}` : issue.code;
    return `${path}: ${expected}`;
  });
  const text = [...new Set(parts)].join('; ');
  return text.length > MAX_DRIFT_LENGTH ? `${text.slice(0, MAX_DRIFT_LENGTH - 1)}…` : text;
}
