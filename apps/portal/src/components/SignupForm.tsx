import { defineComponent, ref } from 'vue';
import { ApiError, fallbackMessage } from '../api';
import { api } from '../session';
import { emailProblem, reportInvalidFields } from '../validation';
import { usePortalForm } from '../form';
import { ErrorAlert } from './Alert';
import { EmailField } from './EmailField';
import { UsageNameField } from './UsageNameField';
import { TextField } from './TextField';

export const PASSWORD_MIN_LENGTH = 12;

/**
 * Sign-up with a local account; FranceConnect can be linked later (reconciliation). The account is
 * activated from the link e-mailed to the address: the portal says the same thing whether or not
 * the address already has an account (the e-mail tells its owner).
 */
export const SignupForm = defineComponent({
  name: 'SignupForm',
  setup() {
    const sentTo = ref<string | null>(null);
    const { values, errors, formError, busy, field } = usePortalForm({ email: '', password: '', usageName: '' });

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      errors.email = emailProblem(values.email);
      errors.password = !values.password
        ? 'Choisissez un mot de passe.'
        : [...values.password].length < PASSWORD_MIN_LENGTH
          ? `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`
          : undefined;
      errors.usageName = undefined;
      if (reportInvalidFields(formError, [['inscription-email', errors.email], ['inscription-mot-de-passe', errors.password]])) return;
      formError.value = null;
      busy.value = true;
      try {
        const usageName = values.usageName.trim();
        const email = values.email.trim();
        await api().signup({ email, password: values.password, ...(usageName ? { usageName } : {}) });
        values.password = '';
        sentTo.value = email;
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError({ status: 0 });
        formError.value = failure.problem.detail ?? fallbackMessage(failure.status);
        const fieldErrors = failure.fieldMessages;
        errors.email = fieldErrors['email'];
        errors.password = fieldErrors['password'];
        errors.usageName = fieldErrors['usageName'];
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <form class="form" novalidate aria-labelledby="inscription-email-titre" onSubmit={submit}>
        <h3 id="inscription-email-titre">Créer un compte avec une adresse e-mail</h3>
        <p class="hint form-note">Tous les champs sont obligatoires sauf mention contraire.</p>
        {formError.value ? <ErrorAlert id="inscription-erreur" title="Inscription impossible" message={formError.value} /> : null}
        {/* Announced politely; not a second `status` landmark beside the page's flash message. */}
        <div aria-live="polite" class="status-region">
          {sentTo.value ? (
            <div class="alert alert--success" id="inscription-envoyee">
              <p class="alert-title">Vérifiez votre messagerie</p>
              <p>
                Un message vient d’être envoyé à {sentTo.value}. Ouvrez le lien qu’il contient pour activer votre compte (il expire dans 24 heures). Si
                cette adresse a déjà un compte, le message vous le dit.
              </p>
            </div>
          ) : null}
        </div>
        <EmailField id="inscription-email" {...field('email')} />
        <TextField
          id="inscription-mot-de-passe"
          label="Mot de passe"
          type="password"
          autocomplete="new-password"
          hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères. Évitez un mot de passe courant ou votre adresse e-mail.`}
          {...field('password')}
        />
        <UsageNameField id="inscription-nom-usage" {...field('usageName')} />
        <button class="button" type="submit" disabled={busy.value}>
          {busy.value ? 'Création en cours…' : 'Créer mon compte'}
        </button>
      </form>
    );
  },
});
