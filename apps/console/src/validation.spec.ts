import { colorProblem, contrastRatio, emailProblem, httpsUrlProblem, newPasswordProblem, readableTextOn, totpCodeOf, totpCodeProblem } from './validation.js';

describe('console form checks', () => {
  it('accepts a plain e-mail address and explains a wrong one', () => {
    expect(emailProblem('agent@mairie.fr')).toBeUndefined();
    expect(emailProblem('')).toBe('Indiquez une adresse e-mail.');
    expect(emailProblem('agent@mairie')).toMatch(/^Adresse e-mail invalide/);
  });

  it('reads a TOTP code typed with spaces, and wants six digits', () => {
    expect(totpCodeOf('123 456')).toBe('123456');
    expect(totpCodeProblem('123 456')).toBeUndefined();
    expect(totpCodeProblem('12345')).toBe('Le code compte exactement six chiffres.');
    expect(totpCodeProblem('')).toMatch(/six chiffres/);
  });

  it('checks the length of a new password', () => {
    expect(newPasswordProblem('court')).toBe('Au moins 12 caractères.');
    expect(newPasswordProblem('une phrase assez longue')).toBeUndefined();
  });

  it('checks colours and https addresses as the API does', () => {
    expect(colorProblem('#1d4ed8')).toBeUndefined();
    expect(colorProblem('')).toBeUndefined();
    expect(colorProblem('blue')).toMatch(/#rrggbb/);
    expect(httpsUrlProblem('https://mairie.fr/logo.svg')).toBeUndefined();
    expect(httpsUrlProblem('http://mairie.fr/logo.svg')).toBe('Adresse https:// attendue.');
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeGreaterThan(6.5);
    expect(contrastRatio('#ffb300', '#ffffff')).toBeLessThan(3);
  });
});

describe('readable text on a colour', () => {
  it('picks white on dark colours and black on light ones', () => {
    expect(readableTextOn('#1d4ed8')).toBe('#ffffff');
    expect(readableTextOn('#ffb300')).toBe('#000000');
  });
});
