import { defineComponent } from 'vue';
import { useRouter } from 'vue-router';
import { auth } from '../../api/endpoints';
import { forgetSession } from '../../state/session';
import { usePasswordLinkForm } from './password-link';
import { PasswordLinkPage } from './PasswordLinkPage';

/** The link of a password-reset e-mail (`/console/password-reset?token=…`). */
export default defineComponent({
  name: 'PasswordResetPage',
  setup() {
    const router = useRouter();
    const link = usePasswordLinkForm({}, 'reinitialisation-probleme', async (token, form) => {
      await auth.completePasswordReset(token, form.password);
      // Every session of the account has just been closed by the API.
      forgetSession({ kind: 'success', text: 'Votre mot de passe a été changé et vos sessions ouvertes ont été fermées. Connectez-vous avec le nouveau mot de passe.' });
      await router.push({ name: 'login' });
    });

    return () => (
      <PasswordLinkPage
        title="Choisir un nouveau mot de passe"
        link={link}
        incompleteText="Ce lien de réinitialisation est incomplet. Ouvrez le lien reçu par e-mail, ou faites une nouvelle demande."
        problemId="reinitialisation-probleme"
        problemFields={['password']}
        problemTitle="Le mot de passe n’a pas été changé"
        submitLabel="Enregistrer le mot de passe"
        linkTo="forgotten-password"
        linkText="Demander un nouveau lien"
      />
    );
  },
});
