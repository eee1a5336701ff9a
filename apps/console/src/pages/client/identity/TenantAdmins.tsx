import { defineComponent, reactive, ref, type PropType } from 'vue';
import { accounts } from '../../../api/endpoints';
import type { InvitationResult, Page, TenantView, UserView } from '@fcplat/contract';
import { AccountActions, type AccountAction } from '../../../components/AccountActions';
import { AccountStatusBadge } from '../../../components/AccountStatusBadge';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { TextField } from '../../../components/fields/TextField';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, reload, useResource } from '../../../state/resource';
import { canStaffWrite, isClientAdmin, session } from '../../../state/session';
import { emailProblem } from '../../../validation';
import { bound } from '../../../components/fields/shared';

/** What the answer to an invitation (new or sent again) tells the person who sent it. */
export function invitationOutcome(result: InvitationResult): string {
  return result.invitation.sent
    ? `Invitation envoyée à ${result.user.email} (lien valable jusqu’au ${formatDateTime(result.invitation.expiresAt)}).`
    : `Le compte de ${result.user.email} est créé mais l’e-mail n’a pas pu partir : renvoyez l’invitation plus tard.`;
}

/**
 * The tenant's client administrators (« Mon équipe » for a client administrator, the « Identité »
 * section for staff): who they are, whether their invitation is still pending, their last login;
 * staff who may write and the tenant's own administrators invite a colleague, send an invitation
 * again, disable or re-enable an account. The API enforces the rules (its own tenant only, never
 * oneself, never the last active administrator) and its French refusal is shown as is.
 */
export const TenantAdmins = defineComponent({
  name: 'TenantAdmins',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    /** The heading level of the block (h2 on the « Mon équipe » page, h3 in a section). */
    headingLevel: { type: Number as PropType<2 | 3>, default: 3 },
  },
  setup(props) {
    const key = () => `tenant-admins:${props.tenant.id}`;
    const admins = useResource<Page<UserView>>(key, () => accounts.tenantAdmins(props.tenant.id));
    const form = reactive({ email: '', displayName: '' });
    const state = useFormState('invitation-probleme');
    const rowAction = useFormState('equipe-probleme');
    const acting = ref<string | null>(null);

    const mayManage = (): boolean => canStaffWrite() || (isClientAdmin() && session.me?.tenantId === props.tenant.id);

    function changed(): void {
      void reload(key());
      invalidate(`audit:${props.tenant.id}`);
    }

    async function invite(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      rowAction.clear();
      state.errors['displayName'] = form.displayName.trim() === '' ? 'Indiquez le nom de la personne.' : undefined;
      state.errors['email'] = emailProblem(form.email);
      if (await state.focusFirstError(['displayName', 'email'])) return;
      await state.run(async () => {
        const result = await accounts.inviteTenantAdmin(props.tenant.id, { email: form.email.trim(), displayName: form.displayName.trim() });
        Object.assign(form, { email: '', displayName: '' });
        changed();
        return invitationOutcome(result);
      });
    }

    async function act(user: UserView, action: AccountAction): Promise<void> {
      state.clear();
      rowAction.clear();
      acting.value = `${action}:${user.id}`;
      try {
        await rowAction.run(async () => {
          if (action === 'resend') return invitationOutcome(await accounts.resendTenantAdminInvitation(props.tenant.id, user.id));
          if (action === 'disable') {
            await accounts.disableTenantAdmin(props.tenant.id, user.id);
            changed();
            return `Le compte de ${user.displayName} est désactivé : ses sessions sont fermées.`;
          }
          const enabled = await accounts.enableTenantAdmin(props.tenant.id, user.id);
          changed();
          return enabled.status === 'invited' ? `Le compte de ${user.displayName} est réactivé ; son invitation reste à accepter.` : `Le compte de ${user.displayName} est réactivé.`;
        });
      } finally {
        acting.value = null;
      }
    }

    return () => {
      const list = admins();
      const manage = mayManage();
      const Heading = props.headingLevel === 2 ? 'h2' : 'h3';
      const SubHeading = props.headingLevel === 2 ? 'h3' : 'h4';
      return (
        <section class="card" aria-labelledby="identite-administrateurs" data-testid="tenant-admins">
          <Heading id="identite-administrateurs">Administrateurs du client</Heading>
          <StatusMessage text={rowAction.done.value} />
          <ProblemSummary id="equipe-probleme" problem={rowAction.problem.value} fields={[]} title="L’action n’a pas été faite" />
          {list?.data ? (
            list.data.items.length === 0 ? (
              <p class="muted">Aucun administrateur pour l’instant.</p>
            ) : (
              <div class="table-wrap">
                <table class="data-table" data-testid="tenant-admins-table">
                  <caption class="visually-hidden">Administrateurs du client {props.tenant.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Nom</th>
                      <th scope="col">Adresse e-mail</th>
                      <th scope="col">Statut</th>
                      <th scope="col">Dernière connexion</th>
                      {manage ? <th scope="col">Actions</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {list.data.items.map((a) => (
                      <tr key={a.id} data-account={a.email}>
                        <th scope="row">
                          {a.displayName}
                          {a.id === session.me?.id ? <span class="muted"> (vous)</span> : null}
                        </th>
                        <td>{a.email}</td>
                        <td>
                          <AccountStatusBadge status={a.status} />
                        </td>
                        <td>{a.lastLoginAt ? formatDateTime(a.lastLoginAt) : <span class="muted">jamais</span>}</td>
                        {manage ? (
                          <td>
                            <AccountActions user={a} self={a.id === session.me?.id} acting={acting.value} consequence="Ses sessions sont fermées et la connexion lui est refusée ; son compte pourra être réactivé." onAct={(action: AccountAction) => act(a, action)} />
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          ) : list?.error ? (
            <ErrorState error={list.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
          {manage ? (
            <form class="team-forms" novalidate onSubmit={(e: Event) => void invite(e)} aria-labelledby="inviter-titre">
              <SubHeading id="inviter-titre">{isClientAdmin() ? 'Inviter un collègue' : 'Inviter un administrateur'}</SubHeading>
              <p class="muted">
                La personne reçoit un e-mail avec un lien valable 72 heures pour choisir son mot de passe ; elle apparaît « invitation en attente » jusque-là.
              </p>
              <StatusMessage text={state.done.value} />
              <ProblemSummary id="invitation-probleme" problem={state.problem.value} fields={['email', 'displayName']} title="L’invitation n’a pas été envoyée" />
              <div class="grid-2">
                <TextField id="displayName" label="Nom" required autocomplete="off" maxlength={200} {...bound(form, 'displayName', state.errors['displayName'])} />
                <TextField id="email" label="Adresse e-mail" type="email" required autocomplete="off" maxlength={254} {...bound(form, 'email', state.errors['email'])} />
              </div>
              <Button type="submit" label="Envoyer l’invitation" severity="secondary" loading={state.busy.value} />
            </form>
          ) : null}
        </section>
      );
    };
  },
});
