import { checkSiret, formatSiret, suggestSiret } from '@fcplat/domain';

/** What the SIRET field says while it is typed into (the pure check of @fcplat/domain). */
export type SiretFeedback =
  | { readonly kind: 'empty' }
  /** Digits only, not 14 yet: a neutral count, no error while typing. */
  | { readonly kind: 'typing'; readonly text: string }
  | { readonly kind: 'invalid'; readonly text: string; readonly suggestion: string | null }
  | { readonly kind: 'valid'; readonly text: string; readonly siret: string };

/**
 * `final` is true on blur and on submit: a short number is then an error too. Spaces are never
 * removed silently (DataPass and API Particulier refuse them): the check offers the cleaned value.
 */
export function siretFeedback(value: string, final: boolean): SiretFeedback {
  if (value === '') return final ? { kind: 'invalid', text: 'Le SIRET est obligatoire.', suggestion: null } : { kind: 'empty' };
  const result = checkSiret(value);
  if (result.valid) {
    const rule = result.rule === 'la_poste' ? ' (règle propre à La Poste)' : '';
    return { kind: 'valid', siret: result.siret, text: `SIRET valide${rule} : SIREN ${formatSiret(result.siret).slice(0, 11)}, établissement ${result.nic}.` };
  }
  if (result.reason === 'wrong_length' && value.length < 14 && !final) {
    return { kind: 'typing', text: `${value.length} chiffre${value.length > 1 ? 's' : ''} sur 14.` };
  }
  return { kind: 'invalid', text: result.message, suggestion: suggestSiret(value) };
}
