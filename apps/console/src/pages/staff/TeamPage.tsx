import { computed, defineComponent, reactive, ref } from 'vue';
import { STAFF_ROLES, STAFF_ROLE_LABELS, type StaffRole } from '@fcplat/domain';
import { accounts } from '../../api/endpoints';
import type { Page, UserView } from '@fcplat/contract';
import { AccountActions, type AccountAction } from '../../components/AccountActions';
import { AccountStatusBadge } from '../../components/AccountStatusBadge';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { PageSteps, pageCount } from '../../components/PageSteps';
import { SelectField } from '../../components/fields/SelectField';
import { TextField } from '../../components/fields/TextField';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { useFormState } from '../../state/form';
import { reload, useResource } from '../../state/resource';
import { session } from '../../state/session';
import { emailProblem } from '../../validation';
import { invitationOutcome } from '../client/identity/TenantAdmins';
import { bound } from '../../components/fields/shared';

const PAGE_SIZE = 50;

const ROLE_OPTIONS = STAFF_ROLES.map((role) => ({ value: role, label: STAFF_ROLE_LABELS[role] }));

const isStaffRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value);

/**
 * « Équipe » (staff administrators): the editor's staff accounts — name, e-mail, role, status
 * (« invitation en attente » until the link is used), last login — with the invitation of a
 * colleague, a new invitation link, a role change and disabling / re-enabling. The API enforces
 * the rules (never oneself, never the last active administrator, SR-25 audit) and its French
 * refusal is shown above the list.
 */
export default defineComponent({
  name: 'TeamPage',
  setup() {
    const page = ref(1);
    const key = () => `staff-team:${page.value}`;
    const team = useResource<Page<UserView>>(key, () => accounts.staffTeam(page.value, PAGE_SIZE), 0);
    const invitation = reactive({ email: '', displayName: '', role: 'onboarding_agent' as StaffRole });
    const inviteState = useFormState('invitation-probleme');
    const rowAction = useFormState('equipe-probleme');
    const roleChange = reactive({ userId: '', role: '' });
    const roleState = useFormState('role-probleme', 'changement-');
    const acting = ref<string | null>(null);

    const changed = (): void => {
      void reload(key());
      // The assignee lists of the pipeline show active staff.
      void reload('staff').catch(() => undefined);
    };

    const clearAll = (): void => {
      inviteState.clear();
      rowAction.clear();
      roleState.clear();
    };

    async function invite(event: Event): Promise<void> {
      event.preventDefault();
      clearAll();
      inviteState.errors['displayName'] = invitation.displayName.trim() === '' ? 'Indiquez le nom de la personne.' : undefined;
      inviteState.errors['email'] = emailProblem(invitation.email);
      if (await inviteState.focusFirstError(['displayName', 'email'])) return;
      await inviteState.run(async () => {
        const result = await accounts.inviteStaff({ email: invitation.email.trim(), displayName: invitation.displayName.trim(), role: invitation.role });
        Object.assign(invitation, { email: '', displayName: '' });
        changed();
        return invitationOutcome(result);
      });
    }

    async function changeRole(event: Event): Promise<void> {
      event.preventDefault();
      clearAll();
      roleState.errors['userId'] = roleChange.userId ? undefined : 'Choisissez la personne.';
      roleState.errors['role'] = isStaffRole(roleChange.role) ? undefined : 'Choisissez le nouveau rôle.';
      if (await roleState.focusFirstError(['userId', 'role'])) return;
      const person = team()?.data?.items.find((u) => u.id === roleChange.userId);
      await roleState.run(async () => {
        const updated = await accounts.changeRole(roleChange.userId, { role: roleChange.role as StaffRole });
        Object.assign(roleChange, { userId: '', role: '' });
        changed();
        return `${person?.displayName ?? updated.displayName} est maintenant « ${STAFF_ROLE_LABELS[updated.role ?? 'read_only']} ».`;
      });
    }

    async function act(user: UserView, action: AccountAction): Promise<void> {
      clearAll();
      acting.value = `${action}:${user.id}`;
      try {
        await rowAction.run(async () => {
          if (action === 'resend') return invitationOutcome(await accounts.resendInvitation(user.id));
          if (action === 'disable') {
            await accounts.disable(user.id);
            changed();
            return `Le compte de ${user.displayName} est désactivé : ses sessions et ses jetons d’API sont révoqués.`;
          }
          const enabled = await accounts.enable(user.id);
          changed();
          return enabled.status === 'invited' ? `Le compte de ${user.displayName} est réactivé ; son invitation reste à accepter.` : `Le compte de ${user.displayName} est réactivé.`;
        });
      } finally {
        acting.value = null;
      }
    }

    /** Everyone but oneself (nobody changes their own role). */
    const roleTargets = computed(() =>
      (team()?.data?.items ?? [])
        .filter((u) => u.id !== session.me?.id && u.status !== 'disabled')
        .map((u) => ({ value: u.id, label: `${u.displayName} (${STAFF_ROLE_LABELS[u.role ?? 'read_only']})` })),
    );

    return () => {
      const state = team();
      const data = state?.data ?? null;
      const pages = data ? pageCount(data.total, PAGE_SIZE) : 1;
      return (
        <div class="container" data-testid="team" data-state={data && !state?.loading ? 'ready' : 'loading'}>
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Équipe</h1>
              <p class="muted">Les comptes de l’équipe de l’éditeur : invitations, rôles, comptes désactivés. Chaque changement figure au journal.</p>
            </div>
          </div>

          <section aria-labelledby="membres-titre">
            <h2 id="membres-titre">Membres de l’équipe</h2>
            <StatusMessage text={rowAction.done.value} />
            <ProblemSummary id="equipe-probleme" problem={rowAction.problem.value} title="L’action n’a pas été faite" />
            {data ? (
              <>
                <p class="result-count" id="membres-nombre">
                  {data.total} compte{data.total > 1 ? 's' : ''}
                </p>
                <div class="table-wrap">
                  <table class="data-table" aria-describedby="membres-nombre" data-testid="team-table">
                    <caption class="visually-hidden">
                      Membres de l’équipe, page {page.value} sur {pages}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Nom</th>
                        <th scope="col">Adresse e-mail</th>
                        <th scope="col">Rôle</th>
                        <th scope="col">Statut</th>
                        <th scope="col">Dernière connexion</th>
                        <th scope="col">Actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.items.map((u) => (
                        <tr key={u.id} data-account={u.email}>
                          <th scope="row">
                            {u.displayName}
                            {u.id === session.me?.id ? <span class="muted"> (vous)</span> : null}
                          </th>
                          <td>{u.email}</td>
                          <td>{STAFF_ROLE_LABELS[u.role ?? 'read_only']}</td>
                          <td>
                            <AccountStatusBadge status={u.status} />
                          </td>
                          <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : <span class="muted">jamais</span>}</td>
                          <td>
                            <AccountActions user={u} self={u.id === session.me?.id} acting={acting.value} consequence="Ses sessions et ses jetons d’API sont révoqués ; son compte pourra être réactivé." onAct={(action: AccountAction) => act(u, action)} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <PageSteps page={page.value} pages={pages} label="Pages de l’équipe" onGo={(p) => (page.value = p)} />
              </>
            ) : state?.error ? (
              <ErrorState error={state.error} onRetry={() => void reload(key())} />
            ) : (
              <LoadingState label="Chargement de l’équipe…" />
            )}
          </section>

          <div class="grid-2 team-forms">
            <section class="card" aria-labelledby="inviter-titre">
              <h2 id="inviter-titre">Inviter un collègue</h2>
              <p class="muted">La personne reçoit un e-mail avec un lien valable 72 heures ; elle apparaît « invitation en attente » jusqu’à ce qu’elle l’utilise.</p>
              <form novalidate onSubmit={(e: Event) => void invite(e)} aria-labelledby="inviter-titre">
                <StatusMessage text={inviteState.done.value} />
                <ProblemSummary id="invitation-probleme" problem={inviteState.problem.value} fields={['email', 'displayName', 'role']} title="L’invitation n’a pas été envoyée" />
                <TextField id="displayName" label="Nom" required autocomplete="off" maxlength={200} {...bound(invitation, 'displayName', inviteState.errors['displayName'])} />
                <TextField id="email" label="Adresse e-mail" type="email" required autocomplete="off" maxlength={254} {...bound(invitation, 'email', inviteState.errors['email'])} />
                <SelectField
                  id="role"
                  label="Rôle"
                  options={ROLE_OPTIONS}
                  modelValue={invitation.role}
                  onUpdate={(v) => {
                    if (isStaffRole(v)) invitation.role = v;
                  }}
                  error={inviteState.errors['role']}
                />
                <Button type="submit" label="Envoyer l’invitation" loading={inviteState.busy.value} />
              </form>
            </section>

            <section class="card" aria-labelledby="role-titre">
              <h2 id="role-titre">Changer un rôle</h2>
              <p class="muted">Le nouveau rôle s’applique dès la requête suivante de la personne. L’équipe garde toujours au moins un administrateur actif.</p>
              <form novalidate onSubmit={(e: Event) => void changeRole(e)} aria-labelledby="role-titre">
                <StatusMessage text={roleState.done.value} />
                <ProblemSummary id="role-probleme" problem={roleState.problem.value} fields={['userId', 'role']} title="Le rôle n’a pas été changé" />
                <SelectField id="changement-userId" label="Personne" placeholder="Choisir une personne" options={roleTargets.value} {...bound(roleChange, 'userId', roleState.errors['userId'])} />
                <SelectField
                  id="changement-role"
                  label="Nouveau rôle"
                  placeholder="Choisir un rôle"
                  options={ROLE_OPTIONS}
                  {...bound(roleChange, 'role', roleState.errors['role'])}
                />
                <Button type="submit" label="Changer le rôle" severity="secondary" loading={roleState.busy.value} />
              </form>
            </section>
          </div>
        </div>
      );
    };
  },
});
