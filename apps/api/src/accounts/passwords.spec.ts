import { hashPassword, passwordViolations, verifyPassword } from './passwords.js';

describe('password policy', () => {
  const email = 'jeanne.martin@mairie.test';
  const messages = (password: string): string[] => passwordViolations(password, email).map((v) => v.message);

  it('accepts a long passphrase', () => {
    expect(messages('trois chevaux verts au galop')).toEqual([]);
    expect(messages('Ünïcödé-pässwörd-ok')).toEqual([]);
  });

  it('refuses short, e-mail, well-known and monotonous passwords, with French reasons', () => {
    expect(messages('court')).toEqual(['au moins 12 caractères']);
    expect(messages('x'.repeat(257))).toEqual(expect.arrayContaining(['au plus 256 caractères']));
    expect(messages('Jeanne.Martin@Mairie.test')).toEqual(['ne doit pas être votre adresse e-mail']);
    expect(passwordViolations('jeanne.martin1', 'jeanne.martin1@mairie.test').map((v) => v.message)).toEqual(['ne doit pas être votre adresse e-mail']);
    expect(messages('MotDePasse123')).toEqual(['ce mot de passe est trop courant, choisissez-en un autre']);
    expect(messages('azertyuiop123')).toEqual(['ce mot de passe est trop courant, choisissez-en un autre']);
    expect(messages('abababababababab')).toEqual(['trop peu de caractères différents']);
    expect(passwordViolations('court', email).every((v) => v.path === 'password')).toBe(true);
  });

  it('hashes with argon2id and verifies; a missing hash never verifies', async () => {
    const hash = await hashPassword('trois chevaux verts au galop');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(hash, 'trois chevaux verts au galop')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'trois chevaux verts au trot')).resolves.toBe(false);
    await expect(verifyPassword(null, 'trois chevaux verts au galop')).resolves.toBe(false);
    await expect(verifyPassword('pas un hash', 'x')).resolves.toBe(false);
  });
});
