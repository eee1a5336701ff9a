import { defineComponent, reactive, type PropType } from 'vue';
import { accounts } from '../../../api/endpoints';
import type { Page, TenantView, UserView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { TextField } from '../../../components/fields/TextField';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, reload, useResource } from '../../../state/resource';
import { canStaffWrite } from '../../../state/session';
import { emailProblem } from '../../../validation';

/** The tenant's client administrators; staff invite new ones by e-mail. */
export const TenantAdmins = defineComponent({
  name: 'TenantAdmins',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `tenant-admins:${props.tenant.id}`;
    const admins = useResource<Page<UserView>>(key, () => accounts.tenantAdmins(props.tenant.id));
    const form = reactive({ email: '', displayName: '' });
    const state = useFormState('invitation-probleme');

    async function invite(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['displayName'] = form.displayName.trim() === '' ? 'Indiquez le nom de la personne.' : undefined;
      state.errors['email'] = emailProblem(form.email);
      if (await state.focusFirstError(['displayName', 'email'])) return;
      await state.run(async () => {
        const result = await accounts.inviteTenantAdmin(props.tenant.id, { email: form.email.trim(), displayName: form.displayName.trim() });
        Object.assign(form, { email: '', displayName: '' });
        void reload(key());
        invalidate(`audit:${props.tenant.id}`);
        return result.invitation.sent
          ? `Invitation envoyée à ${result.user.email} (lien valable jusqu’au ${formatDateTime(result.invitation.expiresAt)}).`
          : `Le compte de ${result.user.email} est créé mais l’e-mail n’a pas pu partir : renvoyez l’invitation plus tard.`;
      });
    }

    const STATUS: Readonly<Record<string, string>> = { invited: 'invitation en attente', active: 'actif', disabled: 'désactivé' };

    return () => {
      const list = admins();
      return (
        <section class="card" aria-labelledby="identite-administrateurs">
          <h3 id="identite-administrateurs">Administrateurs du client</h3>
          {list?.data ? (
            list.data.items.length === 0 ? (
              <p class="muted">Aucun administrateur pour l’instant.</p>
            ) : (
              <ul>
                {list.data.items.map((a) => (
                  <li key={a.id}>
                    {a.displayName} — {a.email} ({STATUS[a.status] ?? a.status}
                    {a.lastLoginAt ? `, dernière connexion le ${formatDateTime(a.lastLoginAt)}` : ''})
                  </li>
                ))}
              </ul>
            )
          ) : list?.error ? (
            <ErrorState error={list.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
          {canStaffWrite() ? (
            <form novalidate onSubmit={(e: Event) => void invite(e)} aria-labelledby="inviter-titre">
              <h4 id="inviter-titre">Inviter un administrateur</h4>
              <StatusMessage text={state.done.value} />
              <ProblemSummary id="invitation-probleme" problem={state.problem.value} fields={['email', 'displayName']} title="L’invitation n’a pas été envoyée" />
              <div class="grid-2">
                <TextField id="displayName" label="Nom" required autocomplete="off" maxlength={200} modelValue={form.displayName} onUpdate={(v) => (form.displayName = v)} error={state.errors['displayName']} />
                <TextField id="email" label="Adresse e-mail" type="email" required autocomplete="off" maxlength={254} modelValue={form.email} onUpdate={(v) => (form.email = v)} error={state.errors['email']} />
              </div>
              <Button type="submit" label="Envoyer l’invitation" severity="secondary" loading={state.busy.value} />
            </form>
          ) : null}
        </section>
      );
    };
  },
});
