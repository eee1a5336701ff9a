import { computed, defineComponent, ref } from 'vue';
import { ApiError, type Problem } from '../../../api/client';
import { onboarding } from '../../../api/endpoints';
import type { CommentView, Page } from '@fcplat/contract';
import { COMMENT_VISIBILITY_LABELS, type CommentVisibility } from '@fcplat/domain';
import { ErrorState, LoadingState, ProblemSummary } from '../../../components/Feedback';
import { TextareaField } from '../../../components/fields/TextareaField';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { invalidate, reload, useResource } from '../../../state/resource';
import { canStaffWrite, isStaff } from '../../../state/session';
import { failure } from './shared';
import { bound } from '../../../components/fields/shared';

/** What each visibility means, as staff choose it. */
const VISIBILITY_HINTS: Readonly<Record<CommentVisibility, string>> = {
  internal: 'Visible par l’équipe de l’éditeur uniquement, jamais par le client.',
  client: 'Visible aussi par les administrateurs du client.',
};

/**
 * Comments on the case: the staff and the client administrator write to each other here. Staff
 * choose, for each comment, « note interne » (the team only) or « message au client »; the client
 * administrator sees the messages only, and writes to the team.
 */
export const Comments = defineComponent({
  name: 'Comments',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const comments = useResource<Page<CommentView>>(() => `comments:${props.tenantId}`, () => onboarding.comments(props.tenantId));
    const text = ref('');
    const visibility = ref<CommentVisibility | null>(null);
    const error = ref<string | undefined>(undefined);
    const visibilityError = ref<string | undefined>(undefined);
    const problem = ref<Problem | null>(null);
    const busy = ref(false);
    const mayWrite = computed(() => canStaffWrite() || !isStaff());

    async function add(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      error.value = text.value.trim() === '' ? 'Écrivez votre commentaire.' : undefined;
      visibilityError.value = isStaff() && !visibility.value ? 'Choisissez : note interne ou message au client.' : undefined;
      if (error.value || visibilityError.value) {
        document.getElementById(error.value ? 'commentaire' : 'visibilite-internal')?.focus();
        return;
      }
      busy.value = true;
      try {
        await onboarding.addComment(props.tenantId, text.value.trim(), isStaff() ? (visibility.value ?? undefined) : undefined);
        text.value = '';
        visibility.value = null;
        await reload(`comments:${props.tenantId}`);
        invalidate(`audit:${props.tenantId}`);
      } catch (failed) {
        problem.value = failure(failed);
        if (failed instanceof ApiError) {
          error.value = failed.fieldMessages['body'];
          visibilityError.value = failed.fieldMessages['visibility'];
        }
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const state = comments();
      return (
        <section class="card" aria-labelledby="commentaires">
          <h3 id="commentaires">Commentaires</h3>
          {isStaff() ? <p class="muted">Les notes internes ne sont jamais montrées au client ; chaque commentaire dit qui peut le lire.</p> : <p class="muted">Vos messages sont lus par l’équipe de l’éditeur qui suit votre dossier.</p>}
          {mayWrite.value ? (
            <form novalidate onSubmit={(e: Event) => void add(e)}>
              <ProblemSummary problem={problem.value} fields={['body', 'visibility']} title="Le commentaire n’a pas été publié" />
              <TextareaField
                id="commentaire"
                label={isStaff() ? 'Nouveau commentaire' : 'Nouveau message à l’équipe de l’éditeur'}
                required
                maxlength={5000}
                {...bound(text, 'value', error.value)}
              />
              {isStaff() ? (
                <fieldset class="group comment-visibility" aria-describedby={visibilityError.value ? 'visibilite-erreur' : undefined}>
                  <legend>Qui pourra le lire ? (obligatoire)</legend>
                  {(['internal', 'client'] as const).map((v) => (
                    <div key={v} class="environment-option">
                      <input
                        type="radio"
                        id={`visibilite-${v}`}
                        name="visibilite"
                        value={v}
                        checked={visibility.value === v}
                        aria-describedby={`visibilite-${v}-aide`}
                        onChange={() => (visibility.value = v)}
                      />
                      <label for={`visibilite-${v}`}>{COMMENT_VISIBILITY_LABELS[v]}</label>
                      <p class="hint" id={`visibilite-${v}-aide`}>
                        {VISIBILITY_HINTS[v]}
                      </p>
                    </div>
                  ))}
                  {visibilityError.value ? (
                    <p class="field-error" id="visibilite-erreur">
                      <span class="visually-hidden">Erreur : </span>
                      {visibilityError.value}
                    </p>
                  ) : null}
                </fieldset>
              ) : null}
              <div class="actions">
                <Button type="submit" label={isStaff() ? 'Publier le commentaire' : 'Envoyer le message'} severity="secondary" loading={busy.value} />
              </div>
            </form>
          ) : null}
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun commentaire.</p>
            ) : (
              <ol class="timeline" data-testid="comments">
                {state.data.items.map((c) => (
                  <li key={c.id} data-visibility={c.visibility} class={c.visibility === 'internal' ? 'comment--internal' : undefined}>
                    <div class="when">
                      {formatDateTime(c.createdAt)} · {c.author.displayName}
                      {isStaff() ? <span class={['badge', c.visibility === 'internal' ? 'badge--internal' : 'badge--neutral']}>{COMMENT_VISIBILITY_LABELS[c.visibility]}</span> : null}
                    </div>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{c.body}</div>
                  </li>
                ))}
              </ol>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`comments:${props.tenantId}`)} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});
