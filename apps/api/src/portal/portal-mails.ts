/**
 * The e-mails of a portal's sign-up. Both answer the same request (« créer un compte avec cette
 * adresse »), so that the portal's answer never says whether an address has an account: the
 * address's owner learns it, nobody else.
 */
import type { OutgoingMail } from '../mail/mail.service.js';
import { frenchDateTime, paragraphsMail } from '../mail/mail-format.js';

/** `/t/{slug}/inscription/confirmer?jeton=…`: the portal page that activates the account. */
export function signupConfirmationLink(publicUrl: string, slug: string, token: string): string {
  return `${publicUrl}/t/${slug}/inscription/confirmer?jeton=${encodeURIComponent(token)}`;
}

export function signupConfirmationMail(input: { to: string; portalName: string; link: string; expiresAt: Date }): OutgoingMail {
  return paragraphsMail(
    input.to,
    `Activez votre compte sur ${input.portalName}`,
    [
      'Bonjour,',
      `Vous avez demandé à créer un compte sur ${input.portalName} avec cette adresse e-mail.`,
      `Pour l’activer, ouvrez le lien ci-dessous. Il ne sert qu’une fois et expire le ${frenchDateTime(input.expiresAt)}.`,
      'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : aucun compte ne sera créé.',
    ],
    { href: input.link, label: 'Activer mon compte' },
  );
}

export function signupExistingAccountMail(input: { to: string; portalName: string; loginLink: string }): OutgoingMail {
  return paragraphsMail(
    input.to,
    `Vous avez déjà un compte sur ${input.portalName}`,
    [
      'Bonjour,',
      `Quelqu’un, peut-être vous, a demandé à créer un compte sur ${input.portalName} avec cette adresse e-mail. Un compte existe déjà avec cette adresse : aucun nouveau compte n’a été créé.`,
      'Connectez-vous avec votre mot de passe, ou avec FranceConnect si votre compte y est associé.',
      'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre compte n’a pas changé.',
    ],
    { href: input.loginLink, label: 'Me connecter' },
  );
}
