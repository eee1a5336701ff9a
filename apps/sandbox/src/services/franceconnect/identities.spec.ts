import { DEMO_IDENTITIES, findIdentity, frenchDate, identityClaims, pairwiseSubject, parseCitizensCsv, pivotIdentity } from './identities.js';
import { FC_V2_SANDBOX_CITIZENS_CSV } from './data/fc-v2-sandbox-citizens.js';

describe('demo identities', () => {
  it('carries every row of the FranceConnect sandbox CSV, and the API Particulier staging identities', () => {
    const fc = DEMO_IDENTITIES.filter((identity) => identity.source === 'franceconnect');
    expect(fc).toHaveLength(38);
    expect(DEMO_IDENTITIES.filter((identity) => identity.source === 'api-particulier-staging').map((i) => i.login)).toEqual([
      'apip_all_fc',
      'apip_cnaf_qfv2',
      'apip_cnous',
      'apip_mesri',
      'apip_service_civique',
    ]);
    expect(findIdentity('test')).toMatchObject({ family_name: 'DUBOIS', given_name: 'Angela Claire Louise', gender: 'female', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', password: '123' });
    expect(findIdentity('genre_indéfini')).toMatchObject({ gender: 'unspecified' });
    expect(findIdentity('genre_inde\u0301fini')?.login).toBe('genre_indéfini');
    expect(findIdentity('nobody')).toBeUndefined();
  });

  it('refuses a CSV with another header or a malformed row', () => {
    expect(() => parseCitizensCsv('login,password\nx,y', 'franceconnect')).toThrow(/header/);
    const header = FC_V2_SANDBOX_CITIZENS_CSV.split('\n')[0] ?? '';
    expect(() => parseCitizensCsv(`${header}\nx,y`, 'franceconnect')).toThrow(/fields/);
  });

  it('maps a row to FranceConnect claims', () => {
    const algeria = findIdentity('naissance_Algérie');
    expect(algeria && pivotIdentity(algeria)).toEqual({
      given_name: 'Vincent Guillaume',
      given_name_array: ['Vincent', 'Guillaume'],
      family_name: 'MARTIN',
      birthdate: '1963-12-05',
      gender: 'male',
      birthplace: '',
      birthcountry: '99352',
    });
    const noMail = findIdentity('sans_mail');
    expect(noMail && identityClaims(noMail)).toMatchObject({ preferred_username: 'DUFOUR' });
    expect(noMail && identityClaims(noMail)).not.toHaveProperty('email');
    const noFirstName = findIdentity('sans_prenom');
    expect(noFirstName && pivotIdentity(noFirstName).given_name_array).toEqual([]);
  });

  it('derives FranceConnect-shaped pairwise subjects', () => {
    const test = findIdentity('test');
    const other = findIdentity('sans_nom_dusage');
    if (!test || !other) throw new Error('fixtures');
    const sub = pairwiseSubject('client-a', test, 'salt');
    expect(sub).toMatch(/^[0-9a-f]{64}v1$/);
    expect(pairwiseSubject('client-a', test, 'salt')).toBe(sub);
    expect(pairwiseSubject('client-b', test, 'salt')).not.toBe(sub);
    expect(pairwiseSubject('client-a', other, 'salt')).not.toBe(sub);
    expect(pairwiseSubject('client-a', test, 'other salt')).not.toBe(sub);
  });

  it('writes dates the French way', () => {
    expect(frenchDate('1962-08-24')).toBe('24/08/1962');
    expect(frenchDate('1992-00-00')).toBe('00/00/1992');
  });
});
