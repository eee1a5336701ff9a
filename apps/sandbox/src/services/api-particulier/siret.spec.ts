import { isValidSiret as platformIsValidSiret } from '@fcplat/domain';
import { isValidSiret } from './siret.js';

describe('recipient SIRET check', () => {
  it('accepts real SIRETs and refuses a wrong key, a wrong length or non-digits', () => {
    for (const siret of ['13002526500013', '21920023500014']) expect(isValidSiret(siret)).toBe(true);
    for (const siret of ['13002526500012', '1300252650001', '130025265000130', '1300252650001A', ' 13002526500013', '']) expect(isValidSiret(siret)).toBe(false);
  });

  it('applies La Poste’s rule (digit sum multiple of 5) to SIREN 356000000 only', () => {
    expect(isValidSiret('35600000000048')).toBe(true); // head office, Luhn-valid
    expect(isValidSiret('35600000012346')).toBe(true); // digit sum 30, Luhn-invalid
    expect(isValidSiret('35600000012341')).toBe(true); // 25
    expect(isValidSiret('35600000012345')).toBe(false); // 29
    expect(isValidSiret('35700000012346')).toBe(false); // another SIREN: Luhn only
  });

  it('agrees with the platform’s own check on a sweep of numbers', () => {
    for (let i = 0; i < 2000; i += 1) {
      const candidate = (i % 2 === 0 ? '356000000' : '130025265') + String(i * 7).padStart(5, '0');
      expect([candidate, isValidSiret(candidate)]).toEqual([candidate, platformIsValidSiret(candidate)]);
    }
  });
});
