import { API_PARTICULIER_CATALOGUE } from '@fcplat/domain';
import type { CitizenView, PivotIdentityView } from '@fcplat/contract';

const DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** `1962-06-15` → `15 juin 1962` (the value as given when it is not a date). */
export function formatBirthdate(value: string | null | undefined): string {
  if (!value) return 'Non renseignée';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // FranceConnect sends 00 for an unknown month or day.
  if (month < 1 || month > 12) return String(year);
  if (day < 1) return MONTH.format(new Date(Date.UTC(year, month - 1, 1)));
  return DATE.format(new Date(Date.UTC(year, month - 1, day)));
}

/** Local time of an ISO instant, `14:32`. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });

/** `24 novembre 2026 à 14:32`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export function formatGender(value: string | null | undefined): string {
  switch (value) {
    case 'female':
      return 'Féminin';
    case 'male':
      return 'Masculin';
    default:
      return 'Non renseigné';
  }
}

/** INSEE COG code of the birth country; `99100` is France. */
export function formatBirthcountry(code: string | null | undefined): string {
  if (!code) return 'Non renseigné';
  return code === '99100' ? 'France' : `${code} (code pays INSEE)`;
}

/** INSEE COG code of the birth town; empty for a birth abroad. */
export function formatBirthplace(code: string | null | undefined): string {
  return code ? `${code} (code commune INSEE)` : 'Non renseigné (naissance à l’étranger)';
}

export function orDash(value: string | null | undefined): string {
  return value && value.trim() ? value : 'Non renseigné';
}

/** The name shown in the header: first given name and usage (or birth) name, else the e-mail. */
export function displayName(me: CitizenView): string {
  const given = me.identity?.givenNames?.trim().split(/\s+/)[0] ?? '';
  const family = me.usageName?.trim() || me.identity?.familyName?.trim() || '';
  const name = `${given} ${family}`.trim();
  return name || me.email || 'Usager';
}

/** The FranceConnect identity waiting for reconciliation, if any. */
export function pendingIdentityOf(me: CitizenView): PivotIdentityView | null {
  return me.pendingReconciliation?.identity ?? null;
}

/** French labels of the FranceConnect identity scopes (docs/domain.md §1.5). */
const FRANCECONNECT_SCOPE_LABELS: Readonly<Record<string, string>> = {
  openid: 'Identifiant FranceConnect',
  identite_pivot: 'Identité pivot',
  given_name: 'Prénoms',
  family_name: 'Nom de naissance',
  birthdate: 'Date de naissance',
  gender: 'Sexe',
  birthplace: 'Lieu de naissance',
  birthcountry: 'Pays de naissance',
  email: 'Adresse e-mail',
  preferred_username: 'Nom d’usage',
};

/** Label of a scope: FranceConnect identity scopes, then API Particulier's catalogue, else the scope itself. */
export function scopeLabel(scope: string): string {
  const known = FRANCECONNECT_SCOPE_LABELS[scope];
  if (known) return known;
  for (const api of Object.values(API_PARTICULIER_CATALOGUE)) {
    const found = api.scopes.find((s) => s.scope === scope);
    if (found) return found.label === api.label ? found.label : `${found.label} (${api.label})`;
  }
  return scope;
}
