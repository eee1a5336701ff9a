/**
 * Clamart's town hall (SIRET 21920023500014), the public body the company directory's tests look
 * up: as the upstream answer is parsed, and as the platform describes it.
 */
import type { CompanyLookup } from '../src/lookup.js';
import type { UpstreamEstablishment, UpstreamUnit } from '../src/upstream.js';

export const CLAMART_SIRET = '21920023500014';

/** The town hall's establishment as `parseSearchResponse` reads it, with `overrides`. */
export function clamartEstablishment(overrides: Partial<UpstreamEstablishment> = {}): UpstreamEstablishment {
  return {
    siret: CLAMART_SIRET,
    isHeadOffice: true,
    state: 'A',
    address: '1 PLACE MAURICE GUNSBOURG 92140 CLAMART',
    postalCode: '92140',
    city: 'CLAMART',
    communeCode: '92023',
    closedOn: undefined,
    ...overrides,
  };
}

/** The commune as `parseSearchResponse` reads it (its head office matching), with `overrides`. */
export function clamartUnit(overrides: Partial<UpstreamUnit> = {}): UpstreamUnit {
  const headOffice = clamartEstablishment();
  return {
    siren: '219200235',
    fullName: 'COMMUNE DE CLAMART',
    legalName: 'COMMUNE DE CLAMART',
    legalCategory: '7210',
    state: 'A',
    closedOn: undefined,
    headOffice,
    matching: [headOffice],
    ...overrides,
  };
}

/** What the platform says of the town hall: an open head office of a commune, without warnings. */
export const CLAMART_LOOKUP: CompanyLookup = {
  siret: CLAMART_SIRET,
  siren: '219200235',
  name: 'COMMUNE DE CLAMART',
  fullName: 'COMMUNE DE CLAMART',
  address: { street: '1 PLACE MAURICE GUNSBOURG', postalCode: '92140', city: 'CLAMART', communeCode: '92023', full: '1 PLACE MAURICE GUNSBOURG 92140 CLAMART' },
  legalCategory: { code: '7210', label: 'Commune et commune nouvelle', classification: 'public_administrative' },
  establishmentOpen: true,
  unitActive: true,
  isHeadOffice: true,
  headOfficeSiret: CLAMART_SIRET,
  warnings: [],
};
