import { emailOfClaims, pivotIdentityOfClaims, samePivotIdentity, type PivotIdentity } from './pivot-identity.js';

const ANGELA: PivotIdentity = { familyName: 'DUBOIS', givenNames: 'Angela Claire Louise', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'female' };

describe('pivot identity', () => {
  it('reads FranceConnect claims, bounded and normalised', () => {
    expect(
      pivotIdentityOfClaims({
        family_name: '  DUBOIS ',
        given_name: 'Angela  Claire Louise',
        birthdate: '1962-08-24',
        birthplace: '75107',
        birthcountry: '99100',
        gender: 'female',
        email: 'x@y.fr',
      }),
    ).toEqual(ANGELA);
    expect(pivotIdentityOfClaims({ family_name: 42, given_name: '', birthdate: '24/08/1962', birthplace: '', birthcountry: '99352', gender: 'autre' })).toEqual({
      familyName: null,
      givenNames: null,
      birthdate: null,
      birthplace: null,
      birthcountry: '99352',
      gender: null,
    });
    expect(pivotIdentityOfClaims({ birthdate: '1992-00-00', birthplace: '2a004' })).toMatchObject({ birthdate: '1992-00-00', birthplace: '2A004' });
    expect(pivotIdentityOfClaims({ family_name: 'X'.repeat(1000) }).familyName).toHaveLength(200);
  });

  it('reads an e-mail claim only when it looks like one', () => {
    expect(emailOfClaims({ email: ' Angela@Exemple.FR ' })).toBe('angela@exemple.fr');
    for (const email of [undefined, 42, 'pas une adresse', `${'a'.repeat(250)}@exemple.fr`]) expect(emailOfClaims({ email })).toBeNull();
  });

  it('matches the same person whatever the case, accents, hyphens and spaces', () => {
    expect(samePivotIdentity(ANGELA, { ...ANGELA, familyName: 'Dubois', givenNames: 'angela-claire  louise' })).toBe(true);
    expect(samePivotIdentity({ ...ANGELA, familyName: 'LEFÈVRE' }, { ...ANGELA, familyName: 'lefevre' })).toBe(true);
    expect(samePivotIdentity({ ...ANGELA, familyName: 'N’GUYEN' }, { ...ANGELA, familyName: "N'GUYEN" })).toBe(true);
  });

  it('never matches different people, or identities missing the birth name or date', () => {
    for (const change of [
      { familyName: 'DUPONT' },
      { givenNames: 'Angela' },
      { birthdate: '1962-08-25' },
      { gender: 'male' as const },
      { birthplace: '75108' },
      { birthcountry: '99352' },
    ]) {
      expect(samePivotIdentity(ANGELA, { ...ANGELA, ...change })).toBe(false);
    }
    expect(samePivotIdentity({ ...ANGELA, familyName: null }, { ...ANGELA, familyName: null })).toBe(false);
    expect(samePivotIdentity({ ...ANGELA, birthdate: null }, { ...ANGELA, birthdate: null })).toBe(false);
  });
});
