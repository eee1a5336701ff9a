import type { Contact } from '@fcplat/contract';

export type ContactKey = 'technicalContact' | 'administrativeContact';

export const CONTACTS: readonly { key: ContactKey; label: string; hint: string }[] = [
  { key: 'technicalContact', label: 'Contact technique', hint: 'Reçoit les informations techniques (identifiants, incidents).' },
  { key: 'administrativeContact', label: 'Contact administratif', hint: 'Signe les demandes d’habilitation et suit le projet.' },
];

export function contactOf(form: { name: string; email: string; phone: string }): Contact | null {
  const name = form.name.trim();
  const email = form.email.trim();
  const phone = form.phone.trim();
  if (!name && !email && !phone) return null;
  return { name, email, ...(phone ? { phone } : {}) };
}
