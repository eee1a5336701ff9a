import { AppError } from '@fcplat/common';
import {
  LA_POSTE_SIREN,
  assertSiren,
  assertSiret,
  checkSiren,
  checkSiret,
  formatSiret,
  isValidSiren,
  isValidSiret,
  luhnValid,
  suggestSiret,
} from './siret.js';

function digitSum(value: string): number {
  return [...value].reduce((sum, digit) => sum + Number(digit), 0);
}

/** A La Poste establishment valid only through the "multiple of 5" rule. */
function laPosteNonLuhnSiret(): string {
  for (let nic = 1; nic < 100_000; nic += 1) {
    const siret = `${LA_POSTE_SIREN}${String(nic).padStart(5, '0')}`;
    if (digitSum(siret) % 5 === 0 && !luhnValid(siret)) return siret;
  }
  throw new Error('none found');
}

describe('luhnValid', () => {
  it.each([
    ['13002526500013', true],
    ['130025265', true],
    ['13002526500012', false],
    ['0', true],
    ['', false],
    ['12a', false],
  ])('%s → %s', (value, expected) => {
    expect(luhnValid(value)).toBe(expected);
  });
});

describe('checkSiret', () => {
  // DINUM, a commune (Paris), La Poste's head office.
  it.each(['13002526500013', '21750001600019', '35600000000048'])('accepts %s with the Luhn rule', (siret) => {
    expect(checkSiret(siret)).toEqual({
      valid: true,
      siret,
      siren: siret.slice(0, 9),
      nic: siret.slice(9),
      rule: 'luhn',
    });
  });

  it('accepts a La Poste establishment whose digit sum is a multiple of 5 although Luhn fails', () => {
    const siret = laPosteNonLuhnSiret();
    expect(luhnValid(siret)).toBe(false);
    expect(digitSum(siret) % 5).toBe(0);
    expect(checkSiret(siret)).toMatchObject({ valid: true, siren: LA_POSTE_SIREN, rule: 'la_poste' });
  });

  it('refuses a La Poste number that fails both rules', () => {
    const siret = '35600000000049';
    expect(luhnValid(siret)).toBe(false);
    expect(digitSum(siret) % 5).not.toBe(0);
    expect(checkSiret(siret)).toMatchObject({ valid: false, reason: 'checksum' });
  });

  it('does not extend the La Poste rule to other SIRENs', () => {
    // DINUM's SIREN with a NIC chosen so that the digit sum is a multiple of 5 and Luhn fails.
    const siret = ['00000', '00001', '00002', '00003', '00004']
      .map((nic) => `130025265${nic}`)
      .find((candidate) => digitSum(candidate) % 5 === 0 && !luhnValid(candidate));
    if (siret === undefined) throw new Error('no candidate');
    expect(digitSum(siret) % 5).toBe(0);
    expect(luhnValid(siret)).toBe(false);
    expect(checkSiret(siret)).toMatchObject({ valid: false, reason: 'checksum' });
  });

  it('refuses 21560124000018, the illustrative commune number of the API Particulier editor deck', () => {
    // Neither the SIRET nor its SIREN 215601240 passes Luhn, and it is not a La Poste number:
    // DataPass and API Particulier would refuse it too.
    expect(luhnValid('21560124000018')).toBe(false);
    expect(luhnValid('215601240')).toBe(false);
    expect(checkSiret('21560124000018')).toMatchObject({ valid: false, reason: 'checksum' });
  });

  it('reports a wrong check digit', () => {
    const result = checkSiret('13002526500012');
    expect(result).toMatchObject({ valid: false, reason: 'checksum' });
    expect(!result.valid && result.message).toContain('clé de contrôle');
  });

  it.each([
    ['130 025 265 00013'],
    [' 13002526500013'],
    ['13002526500013 '],
    ['130\u00a0025\u00a026500013'],
    ['13002526500013\n'],
  ])('refuses whitespace without stripping it: %j', (value) => {
    const result = checkSiret(value);
    expect(result).toMatchObject({ valid: false, reason: 'whitespace' });
    expect(!result.valid && result.message).toBe('Le SIRET ne doit contenir que des chiffres, sans espace.');
  });

  it.each([['1300252650001A'], ['130.025.265.00013'], ['130-025-265-00013'], ['１３００２５２６５０００１３']])(
    'refuses non-digit characters: %j',
    (value) => {
      expect(checkSiret(value)).toMatchObject({ valid: false, reason: 'non_digit' });
    },
  );

  it('reports the wrong length with the count typed', () => {
    expect(checkSiret('1300252650001')).toEqual({
      valid: false,
      reason: 'wrong_length',
      message: 'Le SIRET doit comporter 14 chiffres (13 chiffres saisis).',
    });
    expect(checkSiret('130025265000130')).toMatchObject({ reason: 'wrong_length' });
    expect(checkSiret('1')).toMatchObject({ message: 'Le SIRET doit comporter 14 chiffres (1 chiffre saisi).' });
  });

  it('reports empty and non-string values', () => {
    expect(checkSiret('')).toEqual({ valid: false, reason: 'empty', message: 'Le SIRET est obligatoire.' });
    expect(checkSiret(null)).toMatchObject({ valid: false, reason: 'not_a_string' });
    expect(checkSiret(undefined)).toMatchObject({ valid: false, reason: 'not_a_string' });
    expect(checkSiret(13002526500013)).toMatchObject({ valid: false, reason: 'not_a_string' });
  });

  it('refuses all zeros even though Luhn accepts them', () => {
    expect(luhnValid('00000000000000')).toBe(true);
    expect(checkSiret('00000000000000')).toMatchObject({ valid: false, reason: 'all_zeros' });
  });

  it('isValidSiret mirrors checkSiret', () => {
    expect(isValidSiret('13002526500013')).toBe(true);
    expect(isValidSiret('13002526500012')).toBe(false);
    expect(isValidSiret(42)).toBe(false);
  });
});

describe('checkSiren', () => {
  it.each(['130025265', '217500016', LA_POSTE_SIREN])('accepts %s', (siren) => {
    expect(checkSiren(siren)).toEqual({ valid: true, siren });
  });

  it('reports shape and checksum problems', () => {
    expect(checkSiren('130025266')).toMatchObject({ valid: false, reason: 'checksum' });
    expect(checkSiren('13002526')).toEqual({
      valid: false,
      reason: 'wrong_length',
      message: 'Le SIREN doit comporter 9 chiffres (8 chiffres saisis).',
    });
    expect(checkSiren('130 025 265')).toMatchObject({ reason: 'whitespace' });
    expect(checkSiren('13002526A')).toMatchObject({ reason: 'non_digit' });
    expect(checkSiren('000000000')).toMatchObject({ reason: 'all_zeros' });
    expect(isValidSiren('130025265')).toBe(true);
    expect(isValidSiren('13002526500013')).toBe(false);
  });
});

describe('assertSiret / assertSiren', () => {
  it('returns the value when valid', () => {
    expect(assertSiret('13002526500013')).toBe('13002526500013');
    expect(assertSiren('130025265', 'org.siren')).toBe('130025265');
  });

  it('throws a validation error at the given path with the French reason', () => {
    let caught: unknown;
    try {
      assertSiret('130 025 265 00013', 'tenant.siret');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.violations).toEqual([
      { path: 'tenant.siret', message: 'Le SIRET ne doit contenir que des chiffres, sans espace.' },
    ]);
  });

  it('uses "siret" / "siren" as default paths', () => {
    expect(() => assertSiret('x')).toThrow(expect.objectContaining({ violations: [expect.objectContaining({ path: 'siret' })] }));
    expect(() => assertSiren('x')).toThrow(expect.objectContaining({ violations: [expect.objectContaining({ path: 'siren' })] }));
  });
});

describe('suggestSiret', () => {
  it('proposes the compact value when it is valid', () => {
    expect(suggestSiret('130 025 265 00013')).toBe('13002526500013');
    expect(suggestSiret(' 13002526500013\t')).toBe('13002526500013');
    expect(suggestSiret('130\u00a0025\u00a0265\u00a000013')).toBe('13002526500013');
  });

  it('proposes nothing when the input is already compact or still invalid', () => {
    expect(suggestSiret('13002526500013')).toBeNull();
    expect(suggestSiret('130 025 265 00012')).toBeNull();
    expect(suggestSiret('130.025.265.00013')).toBeNull();
  });
});

describe('formatSiret', () => {
  it('groups digits for display and leaves anything else alone', () => {
    expect(formatSiret('13002526500013')).toBe('130 025 265 00013');
    expect(formatSiret('123')).toBe('123');
  });
});
