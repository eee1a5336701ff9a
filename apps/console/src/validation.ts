/** Checks done in the browser before calling the API (the API checks again, with the same rules). */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(value: string): string | undefined {
  const email = value.trim();
  if (email === '') return 'Indiquez une adresse e-mail.';
  return EMAIL.test(email) ? undefined : 'Adresse e-mail invalide (exemple : prenom.nom@mairie.fr).';
}

/** A TOTP code: six digits (spaces typed between groups are ignored). */
export function totpCodeOf(value: string): string {
  return value.replace(/\s+/g, '');
}

export function totpCodeProblem(value: string): string | undefined {
  const code = totpCodeOf(value);
  if (code === '') return 'Saisissez le code à six chiffres affiché par votre application.';
  return /^\d{6}$/.test(code) ? undefined : 'Le code compte exactement six chiffres.';
}

/** The password policy's length rule (the API also refuses common and trivial passwords). */
export const PASSWORD_MIN_LENGTH = 12;

export function newPasswordProblem(value: string): string | undefined {
  if (value.length < PASSWORD_MIN_LENGTH) return `Au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  return undefined;
}

/** `#rrggbb`, as the API stores branding colours. */
export function colorProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return /^#[0-9a-fA-F]{6}$/.test(value) ? undefined : 'Couleur attendue au format #rrggbb (exemple : #1d4ed8).';
}

export function httpsUrlProblem(value: string): string | undefined {
  if (value === '') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? undefined : 'Adresse https:// attendue.';
  } catch {
    return 'Adresse https:// attendue.';
  }
}

/**
 * Relative luminance contrast of two `#rrggbb` colours (WCAG 2.x), to warn when a portal's text
 * would not be readable on its colour.
 */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const [r = 0, g = 0, bl = 0] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `background` (the portal's own rule for its header). */
export function readableTextOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}
