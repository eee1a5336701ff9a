import { siretFeedback } from './siret-check.js';

describe('SIRET field feedback', () => {
  it('counts digits while typing and only then says a short number is wrong', () => {
    expect(siretFeedback('', false)).toEqual({ kind: 'empty' });
    expect(siretFeedback('2192002', false)).toEqual({ kind: 'typing', text: '7 chiffres sur 14.' });
    expect(siretFeedback('2192002', true)).toMatchObject({ kind: 'invalid', text: 'Le SIRET doit comporter 14 chiffres (7 chiffres saisis).' });
    expect(siretFeedback('', true)).toMatchObject({ kind: 'invalid', text: 'Le SIRET est obligatoire.' });
  });

  it('accepts a valid SIRET and names its SIREN and establishment', () => {
    expect(siretFeedback('21920023500014', false)).toEqual({ kind: 'valid', siret: '21920023500014', text: 'SIRET valide : SIREN 219 200 235, établissement 00014.' });
  });

  it('refuses a wrong key at once, and offers the value without spaces', () => {
    expect(siretFeedback('21920023500015', false)).toMatchObject({ kind: 'invalid', text: expect.stringContaining('clé de contrôle') });
    expect(siretFeedback('219 200 235 00014', false)).toEqual({
      kind: 'invalid',
      text: 'Le SIRET ne doit contenir que des chiffres, sans espace.',
      suggestion: '21920023500014',
    });
    expect(siretFeedback('2192A', false)).toMatchObject({ kind: 'invalid', suggestion: null });
  });
});
