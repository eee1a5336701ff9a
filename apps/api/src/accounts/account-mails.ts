import type { OutgoingMail } from '../mail/mail.service.js';
import { frenchDateTime, paragraphsMail } from '../mail/mail-format.js';

export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/console/invitation?token=${encodeURIComponent(token)}`;
}

export function passwordResetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/console/password-reset?token=${encodeURIComponent(token)}`;
}

export function invitationMail(input: { to: string; displayName: string; link: string; expiresAt: Date; tenantName: string | null }): OutgoingMail {
  const what = input.tenantName
    ? `Vous êtes invité(e) à administrer l’espace de ${input.tenantName} sur la console fcplat (FranceConnect et API Particulier).`
    : 'Vous êtes invité(e) à rejoindre l’équipe sur la console fcplat (FranceConnect et API Particulier).';
  const paragraphs = [
    `Bonjour ${input.displayName},`,
    what,
    'Pour activer votre compte, choisissez votre mot de passe en ouvrant le lien ci-dessous, puis configurez une application d’authentification (code à six chiffres) lors de votre première connexion.',
    `Ce lien est personnel, ne peut servir qu’une fois et expire le ${frenchDateTime(input.expiresAt)}.`,
    'Si vous n’attendiez pas cette invitation, ignorez ce message.',
  ];
  return paragraphsMail(input.to, 'Invitation à la console fcplat', paragraphs, { href: input.link, label: 'Activer mon compte' });
}

export function passwordResetMail(input: { to: string; displayName: string; link: string; expiresAt: Date }): OutgoingMail {
  const paragraphs = [
    `Bonjour ${input.displayName},`,
    'Une réinitialisation du mot de passe de votre compte sur la console fcplat a été demandée.',
    `Pour choisir un nouveau mot de passe, ouvrez le lien ci-dessous. Il ne peut servir qu’une fois et expire le ${frenchDateTime(input.expiresAt)}. Vos sessions ouvertes seront fermées.`,
    'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.',
  ];
  return paragraphsMail(input.to, 'Réinitialisation de votre mot de passe fcplat', paragraphs, { href: input.link, label: 'Choisir un nouveau mot de passe' });
}

/**
 * "This account is under attack": to its owner and to the staff administrators, once per alert
 * window. No password, no IP address, nothing an attacker typed.
 */
export function loginAttackMail(input: { to: string; accountEmail: string; owner: boolean; attempts: number; windowMinutes: number; consoleUrl: string }): OutgoingMail {
  const paragraphs = input.owner
    ? [
        'Bonjour,',
        `Au moins ${input.attempts} tentatives de connexion avec un mot de passe erroné ont visé votre compte de la console fcplat (${input.accountEmail}) en moins de ${input.windowMinutes} minutes.`,
        'Votre compte n’est pas bloqué : les tentatives sont ralenties pour leur seule origine. Si ce n’était pas vous, vérifiez que votre mot de passe est long et unique ; vous pouvez le changer avec « Mot de passe oublié » sur la page de connexion. Votre application d’authentification reste requise à chaque connexion.',
        'Si c’était vous, ignorez ce message.',
      ]
    : [
        'Bonjour,',
        `Au moins ${input.attempts} tentatives de connexion avec un mot de passe erroné ont visé le compte ${input.accountEmail} de la console fcplat en moins de ${input.windowMinutes} minutes.`,
        'Le compte n’est pas bloqué : les tentatives sont ralenties pour leur seule origine, et son titulaire a été prévenu. Vous recevez ce message en tant qu’administrateur de la plateforme.',
      ];
  return paragraphsMail(input.to, 'Tentatives de connexion répétées sur un compte fcplat', paragraphs, { href: input.consoleUrl, label: 'Ouvrir la console' });
}
