/** French formatting of dates, durations and identifiers for the console. */
import { parisCalendarDate } from '@fcplat/domain';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });

/** `2026-03-04T09:15:00Z` → « 4 mars 2026 à 10:15 ». */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? '—' : dateTime.format(value);
}

const numericDate = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' });
const numericTime = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

/** `2026-03-04T09:15:00Z` → « 04/03/2026 à 10:15 » (Paris time). */
export function formatNumericDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? '—' : `${numericDate.format(value)} à ${numericTime.format(value)}`;
}

/** `2026-03-04T09:15:00Z` → « 4 mars 2026 ». */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? '—' : date.format(value);
}

/** A calendar date `2026-03-04` (no time zone) → « 4 mars 2026 ». */
export function formatCalendarDate(day: string | null | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '—';
  return longDate.format(new Date(`${day}T00:00:00Z`));
}

/** « 1 jour ouvré », « 12 jours ouvrés ». */
export function workingDays(n: number): string {
  return `${n} jour${Math.abs(n) >= 2 ? 's' : ''} ouvré${Math.abs(n) >= 2 ? 's' : ''}`;
}

/** Today's date in Paris as `YYYY-MM-DD` (for date inputs). */
export function todayInParis(now: Date = new Date()): string {
  return parisCalendarDate(now);
}

/** « il y a 3 jours », for comments and journal entries. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const value = new Date(iso);
  const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat('fr-FR', { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}
