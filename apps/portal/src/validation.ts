/** Client-side checks, in French; the API checks again and has the last word. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(value: string): string | undefined {
  if (!value.trim()) return 'Saisissez votre adresse e-mail.';
  if (!EMAIL.test(value.trim())) return 'Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.';
  return undefined;
}

export function requiredProblem(value: string, message: string): string | undefined {
  return value ? undefined : message;
}

/** Focuses the first field of the list that has an error. */
export function focusFirstInvalid(fields: readonly (readonly [id: string, error: string | undefined])[]): void {
  const first = fields.find(([, error]) => error !== undefined);
  if (first) document.getElementById(first[0])?.focus();
}
