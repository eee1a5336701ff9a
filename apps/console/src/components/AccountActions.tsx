import { defineComponent, nextTick, ref, type PropType } from 'vue';
import type { UserView } from '@fcplat/contract';
import { Button } from '../prime/button';

export type AccountAction = 'resend' | 'disable' | 'enable';

/**
 * The buttons of one row of a team list: « Renvoyer l’invitation » (pending invitation),
 * « Désactiver » after a confirmation (never on one's own row), « Réactiver ». The page runs the
 * call (`onAct`) and shows its outcome above the list.
 */
export const AccountActions = defineComponent({
  name: 'AccountActions',
  props: {
    user: { type: Object as PropType<UserView>, required: true },
    self: { type: Boolean, default: false },
    /** `${action}:${userId}` while a call runs. */
    acting: { type: String as PropType<string | null>, default: null },
    /** What disabling does, in the confirmation (« ses sessions sont fermées »…). */
    consequence: { type: String, required: true },
    onAct: { type: Function as PropType<(action: AccountAction) => Promise<void>>, required: true },
  },
  setup(props) {
    const confirming = ref(false);
    const base = `compte-${props.user.id}`;

    async function ask(): Promise<void> {
      confirming.value = true;
      await nextTick();
      document.getElementById(`${base}-confirmer`)?.focus();
    }

    async function cancel(): Promise<void> {
      confirming.value = false;
      await nextTick();
      document.getElementById(`${base}-desactiver`)?.focus();
    }

    async function disable(): Promise<void> {
      await props.onAct('disable');
      confirming.value = false;
    }

    return () => {
      const u = props.user;
      if (confirming.value) {
        return (
          <div class="row-actions" role="group" aria-label={`Confirmer la désactivation de ${u.displayName}`}>
            <p>
              Désactiver {u.displayName} ? {props.consequence}
            </p>
            <Button type="button" id={`${base}-confirmer`} size="small" severity="danger" label="Confirmer la désactivation" loading={props.acting === `disable:${u.id}`} onClick={() => void disable()} />
            <Button type="button" size="small" severity="secondary" outlined label="Annuler" onClick={() => void cancel()} />
          </div>
        );
      }
      return (
        <div class="row-actions">
          {u.status === 'invited' ? (
            <Button
              type="button"
              size="small"
              severity="secondary"
              outlined
              label="Renvoyer l’invitation"
              aria-label={`Renvoyer l’invitation à ${u.displayName}`}
              loading={props.acting === `resend:${u.id}`}
              onClick={() => void props.onAct('resend')}
            />
          ) : null}
          {u.status === 'disabled' ? (
            <Button type="button" size="small" severity="secondary" label="Réactiver" aria-label={`Réactiver ${u.displayName}`} loading={props.acting === `enable:${u.id}`} onClick={() => void props.onAct('enable')} />
          ) : props.self ? null : (
            <Button type="button" id={`${base}-desactiver`} size="small" severity="danger" outlined label="Désactiver" aria-label={`Désactiver ${u.displayName}`} onClick={() => void ask()} />
          )}
        </div>
      );
    };
  },
});
