import { defineComponent } from 'vue';
import { ApiError } from '../../api';
import { ErrorAlert } from '../../components/Alert';
import { usePortalForm } from '../../form';
import { EmailField } from '../../components/EmailField';
import { UsageNameField } from '../../components/UsageNameField';
import { api, refreshMe, setFlash } from '../../session';
import type { CitizenView } from '@fcplat/contract';
import { emailProblem, reportInvalidFields } from '../../validation';
import { messageOf } from './shared';

/** FC-16: usage name and e-mail stay editable. */
export const ContactForm = defineComponent({
  name: 'ContactForm',
  props: { me: { type: Object as () => CitizenView, required: true } },
  setup(props) {
    const { values, errors, formError, busy, field } = usePortalForm({ usageName: props.me.usageName ?? '', email: props.me.email ?? '' });

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      const email = values.email.trim();
      const usageName = values.usageName.trim();
      errors.email = email || props.me.email ? emailProblem(email) : undefined;
      errors.usageName = usageName.length > 200 ? 'Le nom d’usage ne doit pas dépasser 200 caractères.' : undefined;
      if (reportInvalidFields(formError, [['profil-nom-usage', errors.usageName], ['profil-email', errors.email]])) return;
      const changes: { usageName?: string | null; email?: string } = {};
      if (usageName !== (props.me.usageName ?? '')) changes.usageName = usageName || null;
      if (email && email !== (props.me.email ?? '')) changes.email = email;
      formError.value = null;
      if (Object.keys(changes).length === 0) {
        setFlash('/profil', 'info', 'Aucune modification à enregistrer.');
        return;
      }
      busy.value = true;
      try {
        await api().updateMe(changes);
        const me = await refreshMe();
        values.usageName = me?.usageName ?? '';
        values.email = me?.email ?? '';
        setFlash('/profil', 'success', 'Vos modifications ont été enregistrées.');
      } catch (failure) {
        formError.value = messageOf(failure);
        if (failure instanceof ApiError) {
          errors.email = failure.fieldMessages['email'];
          errors.usageName = failure.fieldMessages['usageName'];
        }
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <section id="coordonnees" class="card" aria-labelledby="coordonnees-titre">
        <h2 id="coordonnees-titre">Nom d'usage et adresse e-mail</h2>
        <p>Ces informations sont modifiables à tout moment.</p>
        <form class="form" novalidate aria-labelledby="coordonnees-titre" onSubmit={save}>
          {formError.value ? <ErrorAlert id="coordonnees-erreur" title="Enregistrement impossible" message={formError.value} /> : null}
          <UsageNameField id="profil-nom-usage" {...field('usageName')} />
          <EmailField id="profil-email" required={props.me.email !== null && props.me.email !== ''} {...field('email')} />
          <button type="submit" class="button" disabled={busy.value}>
            {busy.value ? 'Enregistrement…' : 'Enregistrer les modifications'}
          </button>
        </form>
      </section>
    );
  },
});
