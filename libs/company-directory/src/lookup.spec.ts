import { findEstablishment, streetOf, toCompanyLookup } from './lookup.js';
import { CLAMART_LOOKUP, clamartEstablishment, clamartUnit } from '../test/clamart.js';

describe('toCompanyLookup', () => {
  it('describes an open head office of a commune without warnings', () => {
    expect(toCompanyLookup(clamartUnit(), clamartEstablishment())).toEqual(CLAMART_LOOKUP);
  });

  it('warns about a company that is not a public body', () => {
    const lookup = toCompanyLookup(clamartUnit({ legalCategory: '5710', legalName: 'OCTO-TECHNOLOGY' }), clamartEstablishment());
    expect(lookup.legalCategory.classification).toBe('not_public');
    expect(lookup.warnings).toEqual([expect.objectContaining({ code: 'NOT_PUBLIC_BODY', message: expect.stringContaining('5710') })]);
  });

  it('flags a public body under commercial law for a case-by-case check', () => {
    expect(toCompanyLookup(clamartUnit({ legalCategory: '4140' }), clamartEstablishment()).warnings.map((w) => w.code)).toEqual(['PUBLIC_COMMERCIAL_BODY']);
  });

  it('treats a missing legal category as not public', () => {
    const lookup = toCompanyLookup(clamartUnit({ legalCategory: undefined }), clamartEstablishment());
    expect(lookup.legalCategory).toEqual({ code: null, label: 'Catégorie juridique non communiquée', classification: 'not_public' });
    expect(lookup.warnings.map((w) => w.code)).toEqual(['NOT_PUBLIC_BODY']);
  });

  it('warns about a closed establishment and points to the head office', () => {
    const closed = clamartEstablishment({ siret: '21920023500022', isHeadOffice: false, state: 'F', closedOn: '2002-06-20', address: '86270 COUSSAY-LES-BOIS', postalCode: '86270', city: 'COUSSAY-LES-BOIS' });
    const lookup = toCompanyLookup(clamartUnit({ matching: [closed] }), closed);
    expect(lookup.establishmentOpen).toBe(false);
    expect(lookup.isHeadOffice).toBe(false);
    expect(lookup.address.street).toBeUndefined();
    expect(lookup.warnings).toEqual([
      {
        code: 'ESTABLISHMENT_CLOSED',
        message: 'L’établissement 21920023500022 est fermé depuis le 20/06/2002 : utilisez le SIRET d’un établissement ouvert (le siège a pour SIRET 21920023500014).',
      },
    ]);
  });

  it('warns about a ceased unit and an unknown state', () => {
    const lookup = toCompanyLookup(clamartUnit({ state: 'C', closedOn: '2020-07-06', legalCategory: '7113' }), clamartEstablishment({ state: undefined }));
    expect(lookup.unitActive).toBe(false);
    expect(lookup.establishmentOpen).toBe(false);
    expect(lookup.warnings.map((w) => w.code)).toEqual(['LEGAL_UNIT_CEASED', 'STATE_UNKNOWN']);
    expect(lookup.warnings[0]?.message).toContain('depuis le 06/07/2020');
  });
});

describe('findEstablishment', () => {
  const page = { units: [clamartUnit({ matching: [] })], totalResults: 1, skipped: 0 };

  it('falls back on the head office when matching_etablissements is empty', () => {
    expect(findEstablishment(page, '21920023500014')?.establishment.siret).toBe('21920023500014');
  });

  it('returns nothing for another establishment of the same unit, or another unit', () => {
    expect(findEstablishment(page, '21920023500022')).toBeUndefined();
    expect(findEstablishment(page, '13002526500013')).toBeUndefined();
  });
});

describe('streetOf', () => {
  it.each([
    ['24 RUE SAINT-ESPRIT 63000 CLERMONT-FERRAND', '63000', 'CLERMONT-FERRAND', '24 RUE SAINT-ESPRIT'],
    ['HOTEL DE VILLE 69590 COISE', '69590', 'COISE', 'HOTEL DE VILLE'],
    ['4 PL HOTEL VILLE ESP LIBERATION 75004 PARIS 04', '75004', 'PARIS 04', '4 PL HOTEL VILLE ESP LIBERATION'],
    ['10 RUE X 75001 PARIS CEDEX 01', '75001', 'PARIS', '10 RUE X'],
    ['86270 COUSSAY-LES-BOIS', '86270', 'COUSSAY-LES-BOIS', undefined],
    [undefined, '86270', 'X', undefined],
  ])('%s → %s', (address, postalCode, city, street) => {
    expect(streetOf(address, postalCode, city)).toBe(street);
  });
});
