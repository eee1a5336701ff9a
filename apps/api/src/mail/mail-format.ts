/**
 * The one shape of the platform's e-mails: French paragraphs, then one link, as plain text and as
 * minimal escaped HTML.
 */
import { escapeHtml } from '@fcplat/common';
import type { OutgoingMail } from './mail.service.js';


export function paragraphsMail(to: string, subject: string, paragraphs: readonly string[], link: { href: string; label: string }): OutgoingMail {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return {
    to,
    subject,
    text: `${paragraphs.join('\n\n')}\n\n${link.href}\n`,
    html: `<!doctype html><html lang="fr"><body>\n${body}\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>\n</body></html>`,
  };
}

/** « 6 décembre 2026 à 18:11 », Paris time. */
export const frenchDateTime = (date: Date): string =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(date);
