import { checkSiren, checkSiret, classifyLegalCategory } from '@fcplat/domain';
import { FIXTURE_UNITS } from './fixtures.js';

describe('recherche-entreprises fixtures', () => {
  const establishments = FIXTURE_UNITS.flatMap((u) => u.establishments.map((e) => ({ unit: u, e })));

  it('hold 15 to 25 organisations', () => {
    expect(FIXTURE_UNITS.length).toBeGreaterThanOrEqual(15);
    expect(FIXTURE_UNITS.length).toBeLessThanOrEqual(25);
  });

  it.each(FIXTURE_UNITS.map((u) => [u.siren, u.nomRaisonSociale]))('SIREN %s (%s) passes the Luhn check', (siren) => {
    expect(checkSiren(siren)).toMatchObject({ valid: true });
  });

  it.each(establishments.map(({ e, unit }) => [e.siret, unit.nomRaisonSociale]))('SIRET %s (%s) is valid', (siret) => {
    expect(checkSiret(siret)).toMatchObject({ valid: true, rule: 'luhn' });
  });

  it('keeps SIRETs unique, each under its own SIREN, with exactly one head office per unit', () => {
    const sirets = establishments.map(({ e }) => e.siret);
    expect(new Set(sirets).size).toBe(sirets.length);
    for (const { unit, e } of establishments) expect(e.siret.startsWith(unit.siren)).toBe(true);
    for (const unit of FIXTURE_UNITS) expect(unit.establishments.filter((e) => e.estSiege)).toHaveLength(1);
  });

  it('covers the public bodies editors onboard, plus companies and closed cases', () => {
    const natures = new Set(FIXTURE_UNITS.map((u) => u.natureJuridique));
    for (const code of ['7210', '7229', '7220', '7230', '7344', '7346', '7348', '7361', '7331', '7120', '7113']) {
      expect(natures).toContain(code);
    }
    expect(FIXTURE_UNITS.filter((u) => classifyLegalCategory(u.natureJuridique) === 'not_public').length).toBeGreaterThanOrEqual(2);
    expect(establishments.some(({ unit, e }) => unit.etat === 'A' && e.etat === 'F')).toBe(true);
    expect(FIXTURE_UNITS.some((u) => u.etat === 'C')).toBe(true);
  });
});
