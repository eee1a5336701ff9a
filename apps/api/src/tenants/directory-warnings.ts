import type { DirectoryWarning } from '@fcplat/db';
import { classifyLegalCategory, describeLegalCategory } from '@fcplat/domain';
import type { DirectoryEntry } from './company-directory.js';

/** Codes of the warnings stored on a tenant after a directory lookup. */
export type DirectoryWarningCode =
  | 'NOT_PUBLIC_BODY'
  | 'PUBLIC_COMMERCIAL_BODY'
  | 'ESTABLISHMENT_CLOSED'
  | 'LEGAL_UNIT_CEASED'
  | 'DIRECTORY_NOT_FOUND'
  | 'DIRECTORY_UNAVAILABLE';

function warning(code: DirectoryWarningCode, message: string): DirectoryWarning {
  return { code, message };
}

/**
 * French warnings for the console about what the directory says of a SIRET: not a public body
 * (legal category outside 7xxx/4xxx, classified by @fcplat/domain), public body under commercial
 * law (to check case by case), closed establishment, ceased legal unit.
 */
export function warningsForEntry(entry: DirectoryEntry): DirectoryWarning[] {
  const warnings: DirectoryWarning[] = [];
  const code = entry.legalCategoryCode;
  const kind = code ? classifyLegalCategory(code) : 'not_public';
  const category = code ? `catégorie juridique ${code} « ${describeLegalCategory(code).label} »` : 'catégorie juridique non communiquée';
  if (kind === 'not_public') {
    warnings.push(
      warning(
        'NOT_PUBLIC_BODY',
        `« ${entry.name} » n’est pas une personne morale de droit public (${category}). ` +
          'FranceConnect et API Particulier sont réservés aux administrations et organismes publics : vérifiez le SIRET.',
      ),
    );
  } else if (kind === 'public_commercial') {
    warnings.push(
      warning(
        'PUBLIC_COMMERCIAL_BODY',
        `« ${entry.name} » est une personne morale de droit public soumise au droit commercial (${category}) : ` +
          'vérifiez que sa mission ouvre droit aux habilitations demandées.',
      ),
    );
  }
  if (!entry.establishmentOpen) {
    warnings.push(
      warning('ESTABLISHMENT_CLOSED', `L’établissement ${entry.siret} est fermé (ou son état est inconnu) selon l’annuaire des entreprises : utilisez le SIRET d’un établissement ouvert.`),
    );
  }
  if (!entry.unitActive) {
    warnings.push(
      warning('LEGAL_UNIT_CEASED', `L’unité légale ${entry.siret.slice(0, 9)} est cessée (ou son état est inconnu) selon l’annuaire des entreprises.`),
    );
  }
  return warnings;
}

export const DIRECTORY_NOT_FOUND_WARNING: DirectoryWarning = warning(
  'DIRECTORY_NOT_FOUND',
  'Ce SIRET est absent de l’annuaire public des entreprises (les établissements non diffusibles n’y figurent pas) : ' +
    'vérifiez le numéro ou demandez un avis de situation au répertoire Sirene.',
);

export const DIRECTORY_UNAVAILABLE_WARNING: DirectoryWarning = warning(
  'DIRECTORY_UNAVAILABLE',
  'L’annuaire des entreprises n’a pas pu être consulté : nom, adresse et catégorie juridique restent à vérifier ' +
    '(relancez la vérification plus tard).',
);
