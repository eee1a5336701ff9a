/** Client-side checks, in French; the API checks again and has the last word. */
import type { Ref } from 'vue';

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

/**
 * When a field of the list has an error: says so above the form (`formError`), focuses the first
 * such field and answers true (the form is not sent).
 */
export function reportInvalidFields(formError: Ref<string | null>, fields: readonly (readonly [id: string, error: string | undefined])[]): boolean {
  if (fields.every(([, error]) => !error)) return false;
  formError.value = 'Le formulaire contient des erreurs. Corrigez les champs signalés.';
  focusFirstInvalid(fields);
  return true;
}
