/**
 * The notification e-mails, in French: one event (« immédiat ») or a day's digest. Plain text
 * always, and minimal escaped HTML, like the API's other e-mails (invitations, password resets).
 */
import { escapeHtml } from '@fcplat/common';
import { NOTIFICATION_KIND_INFO, type NotificationKind } from '@fcplat/domain';

export interface NotificationMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailItem {
  readonly kind: NotificationKind;
  readonly title: string;
  readonly body: string;
  /** Path inside the console, or null. */
  readonly link: string | null;
}

const SUBJECT_PREFIX = '[fcplat]';
/** Subjects stay on one line and short (the title may quote a client's name). */
const SUBJECT_MAX = 160;

function subject(text: string): string {
  const flat = `${SUBJECT_PREFIX} ${text}`.replace(/\s+/g, ' ').trim();
  return flat.length <= SUBJECT_MAX ? flat : `${flat.slice(0, SUBJECT_MAX - 1)}…`;
}

const consoleLink = (publicUrl: string, path: string): string => `${publicUrl}/console/${path}`;

function page(paragraphs: readonly string[], extraHtml = ''): string {
  return `<!doctype html><html lang="fr"><body>\n${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}${extraHtml}\n</body></html>`;
}

function footer(publicUrl: string, why: string): { text: string; html: string } {
  const href = consoleLink(publicUrl, 'notifications');
  return {
    text: `${why} Pour choisir ce que vous recevez et comment : ${href}`,
    html: `<p style="color:#555">${escapeHtml(why)} <a href="${escapeHtml(href)}">Choisir ce que vous recevez</a></p>`,
  };
}

/** One notification, sent at once. */
export function immediateMail(input: { to: string; displayName: string; item: MailItem; publicUrl: string }): NotificationMail {
  const { item, publicUrl } = input;
  const link = item.link ? consoleLink(publicUrl, item.link) : consoleLink(publicUrl, 'notifications');
  const why = `Vous recevez cet e-mail car la notification « ${NOTIFICATION_KIND_INFO[item.kind].label} » est réglée sur « e-mail immédiat ».`;
  const end = footer(publicUrl, why);
  const intro = `Bonjour ${input.displayName},`;
  return {
    to: input.to,
    subject: subject(item.title),
    text: `${intro}\n\n${item.title}\n\n${item.body}\n\nOuvrir dans la console : ${link}\n\n-- \n${end.text}\n`,
    html: page([intro, item.title, item.body], `\n<p><a href="${escapeHtml(link)}">Ouvrir dans la console</a></p>\n${end.html}`),
  };
}

/** A person's daily digest: every digest-mode notification of the day, grouped by kind. */
export function digestMail(input: { to: string; displayName: string; day: string; items: readonly MailItem[]; publicUrl: string }): NotificationMail {
  const { items, publicUrl } = input;
  const [y, m, d] = input.day.split('-');
  const date = `${d}/${m}/${y}`;
  const count = `${items.length} notification${items.length > 1 ? 's' : ''}`;
  const groups = new Map<NotificationKind, MailItem[]>();
  for (const item of items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const [kind, group] of groups) {
    const label = NOTIFICATION_KIND_INFO[kind].label;
    textParts.push(`${label} (${group.length})\n${group.map((i) => `- ${i.title}\n  ${i.body}${i.link ? `\n  ${consoleLink(publicUrl, i.link)}` : ''}`).join('\n')}`);
    htmlParts.push(
      `<h2>${escapeHtml(label)} (${group.length})</h2>\n<ul>\n${group
        .map((i) => `<li><strong>${i.link ? `<a href="${escapeHtml(consoleLink(publicUrl, i.link))}">${escapeHtml(i.title)}</a>` : escapeHtml(i.title)}</strong><br>${escapeHtml(i.body)}</li>`)
        .join('\n')}\n</ul>`,
    );
  }
  const intro = [`Bonjour ${input.displayName},`, `Voici votre récapitulatif du ${date} : ${count}.`];
  const end = footer(publicUrl, 'Vous recevez ce récapitulatif quotidien pour les notifications réglées sur « récapitulatif quotidien ».');
  return {
    to: input.to,
    subject: subject(`Récapitulatif du ${date} : ${count}`),
    text: `${intro.join('\n\n')}\n\n${textParts.join('\n\n')}\n\nToutes vos notifications : ${consoleLink(publicUrl, 'notifications')}\n\n-- \n${end.text}\n`,
    html: page(intro, `\n${htmlParts.join('\n')}\n${end.html}`),
  };
}
