/**
 * From the upstream's unit and establishment to what onboarding needs to know about a SIRET: who it
 * is, where, whether it is a public body, whether the establishment is open and the unit active,
 * with French warnings for the console. Pure functions, no I/O.
 */
import { describeLegalCategory, type PublicBodyKind } from '@fcplat/domain';
import type { UpstreamEstablishment, UpstreamSearchPage, UpstreamUnit } from './upstream.js';

export type CompanyWarningCode =
  /** Legal category outside 7xxx/4xxx (or unknown): not a public body. */
  | 'NOT_PUBLIC_BODY'
  /** 4xxx: public body under commercial law (EPIC, régie...): eligibility to check case by case. */
  | 'PUBLIC_COMMERCIAL_BODY'
  /** The establishment is closed (`etat_administratif` F). */
  | 'ESTABLISHMENT_CLOSED'
  /** The legal unit has ceased (`etat_administratif` C). */
  | 'LEGAL_UNIT_CEASED'
  /** The upstream did not say whether the establishment or the unit is open. */
  | 'STATE_UNKNOWN';

export interface CompanyWarning {
  readonly code: CompanyWarningCode;
  /** French, for console users. */
  readonly message: string;
}

export interface CompanyAddress {
  /** Street part of Sirene's address (`24 RUE SAINT-ESPRIT`), when it can be told apart. */
  readonly street?: string;
  readonly postalCode: string | null;
  readonly city: string | null;
  /** INSEE code of the commune. */
  readonly communeCode: string | null;
  /** Sirene's one-line address as published. */
  readonly full: string | null;
}

export interface CompanyLegalCategory {
  /** INSEE 4-digit code, `null` when the upstream gave none. */
  readonly code: string | null;
  readonly label: string;
  readonly classification: PublicBodyKind;
}

export interface CompanyLookup {
  readonly siret: string;
  readonly siren: string;
  /** Raison sociale (`COMMUNE DE CLAMART`). */
  readonly name: string;
  /** Name with acronym as the directory displays it (`DIRECTION INTERMINISTERIELLE DU NUMERIQUE (DINUM)`). */
  readonly fullName: string;
  readonly address: CompanyAddress;
  readonly legalCategory: CompanyLegalCategory;
  readonly establishmentOpen: boolean;
  readonly unitActive: boolean;
  readonly isHeadOffice: boolean;
  /** SIRET of the unit's head office, when known. */
  readonly headOfficeSiret: string | null;
  readonly warnings: readonly CompanyWarning[];
}

/** The unit and establishment of `siret` in a search page: `matching_etablissements` first, then `siege`. */
export function findEstablishment(
  page: UpstreamSearchPage,
  siret: string,
): { readonly unit: UpstreamUnit; readonly establishment: UpstreamEstablishment } | undefined {
  const siren = siret.slice(0, 9);
  for (const unit of page.units) {
    if (unit.siren !== siren) continue;
    const establishment =
      unit.matching.find((e) => e.siret === siret) ?? (unit.headOffice?.siret === siret ? unit.headOffice : undefined);
    if (establishment) return { unit, establishment };
  }
  return undefined;
}

/** `2002-06-20` → `20/06/2002`. */
function frenchDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** `24 RUE SAINT-ESPRIT 63000 CLERMONT-FERRAND` → `24 RUE SAINT-ESPRIT`, when the tail is the postcode and city. */
export function streetOf(address: string | undefined, postalCode: string | undefined, city: string | undefined): string | undefined {
  if (!address || !postalCode) return undefined;
  const tail = city ? ` ${postalCode} ${city}` : ` ${postalCode}`;
  let street: string | undefined;
  if (address.endsWith(tail)) street = address.slice(0, -tail.length);
  else {
    const at = address.lastIndexOf(` ${postalCode} `);
    if (at > 0) street = address.slice(0, at);
  }
  street = street?.trim();
  return street ? street : undefined;
}

function legalCategoryOf(code: string | undefined): CompanyLegalCategory {
  if (code === undefined) {
    return { code: null, label: 'Catégorie juridique non communiquée', classification: 'not_public' };
  }
  const description = describeLegalCategory(code);
  return { code, label: description.label, classification: description.kind };
}

function warningsOf(
  name: string,
  unit: UpstreamUnit,
  establishment: UpstreamEstablishment,
  category: CompanyLegalCategory,
  headOfficeSiret: string | null,
): CompanyWarning[] {
  const warnings: CompanyWarning[] = [];
  const categoryText = category.code ? `catégorie juridique ${category.code} « ${category.label} »` : 'catégorie juridique non communiquée';
  if (category.classification === 'not_public') {
    warnings.push({
      code: 'NOT_PUBLIC_BODY',
      message:
        `« ${name} » n’est pas une personne morale de droit public (${categoryText}). ` +
        'FranceConnect et API Particulier sont réservés aux administrations et organismes publics : vérifiez le SIRET saisi.',
    });
  } else if (category.classification === 'public_commercial') {
    warnings.push({
      code: 'PUBLIC_COMMERCIAL_BODY',
      message:
        `« ${name} » est une personne morale de droit public soumise au droit commercial (${categoryText}) : ` +
        'vérifiez que sa mission ouvre bien droit aux habilitations demandées.',
    });
  }
  if (establishment.state === 'F') {
    const since = frenchDate(establishment.closedOn);
    const other =
      headOfficeSiret && headOfficeSiret !== establishment.siret ? ` (le siège a pour SIRET ${headOfficeSiret})` : '';
    warnings.push({
      code: 'ESTABLISHMENT_CLOSED',
      message: `L’établissement ${establishment.siret} est fermé${since ? ` depuis le ${since}` : ''} : utilisez le SIRET d’un établissement ouvert${other}.`,
    });
  }
  if (unit.state === 'C') {
    const since = frenchDate(unit.closedOn);
    warnings.push({
      code: 'LEGAL_UNIT_CEASED',
      message: `L’unité légale ${unit.siren} (« ${name} ») est cessée${since ? ` depuis le ${since}` : ''} : elle ne peut plus faire l’objet d’une habilitation.`,
    });
  }
  if (establishment.state === undefined || unit.state === undefined) {
    warnings.push({
      code: 'STATE_UNKNOWN',
      message: 'L’annuaire des entreprises n’indique pas si cet établissement est ouvert : vérifiez-le avant de poursuivre.',
    });
  }
  return warnings;
}

export function toCompanyLookup(unit: UpstreamUnit, establishment: UpstreamEstablishment): CompanyLookup {
  const name = unit.legalName ?? unit.fullName ?? 'Dénomination non diffusée';
  const category = legalCategoryOf(unit.legalCategory);
  const headOfficeSiret =
    unit.headOffice?.siret ??
    (establishment.isHeadOffice === true ? establishment.siret : unit.matching.find((e) => e.isHeadOffice === true)?.siret) ??
    null;
  const isHeadOffice = establishment.isHeadOffice ?? headOfficeSiret === establishment.siret;
  const street = streetOf(establishment.address, establishment.postalCode, establishment.city);
  return {
    siret: establishment.siret,
    siren: unit.siren,
    name,
    fullName: unit.fullName ?? name,
    address: {
      ...(street ? { street } : {}),
      postalCode: establishment.postalCode ?? null,
      city: establishment.city ?? null,
      communeCode: establishment.communeCode ?? null,
      full: establishment.address ?? null,
    },
    legalCategory: category,
    establishmentOpen: establishment.state === 'A',
    unitActive: unit.state === 'A',
    isHeadOffice,
    headOfficeSiret,
    warnings: warningsOf(name, unit, establishment, category, headOfficeSiret),
  };
}
