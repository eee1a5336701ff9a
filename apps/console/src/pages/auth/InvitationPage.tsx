import { defineComponent } from 'vue';
import { useRouter } from 'vue-router';
import { auth } from '../../api/endpoints';
import { TextField } from '../../components/fields/TextField';
import { session } from '../../state/session';
import { usePasswordLinkForm } from './password-link';
import { PasswordLinkPage } from './PasswordLinkPage';
import { bound } from '../../components/fields/shared';

/** The link of an invitation e-mail (`/console/invitation?token=…`): choose a password, then log in. */
export default defineComponent({
  name: 'InvitationPage',
  setup() {
    const router = useRouter();
    const link = usePasswordLinkForm({ displayName: '' }, 'invitation-probleme', async (token, form) => {
      const { email } = await auth.acceptInvitation(token, form.password, form.displayName.trim() || undefined);
      session.flash = { kind: 'success', text: `Votre compte ${email} est activé. Connectez-vous pour configurer votre application d’authentification.` };
      await router.push({ name: 'login' });
    });

    return () => (
      <PasswordLinkPage
        title="Activer mon compte"
        link={link}
        incompleteText="Ce lien d’invitation est incomplet. Ouvrez le lien reçu par e-mail, ou demandez une nouvelle invitation."
        problemId="invitation-probleme"
        problemFields={['password', 'displayName']}
        problemTitle="L’activation n’a pas abouti"
        submitLabel="Activer mon compte"
        linkTo="login"
        linkText="J’ai déjà un compte"
      >
        {{
          intro: () => <p>Vous avez été invité(e) sur la console. Choisissez votre mot de passe ; à la première connexion, vous configurerez une application d’authentification.</p>,
          fields: () => (
            <TextField id="displayName" label="Votre nom tel qu’il sera affiché" autocomplete="name" {...bound(link.form, 'displayName', link.errors['displayName'])} />
          ),
        }}
      </PasswordLinkPage>
    );
  },
});
