import { computed, defineComponent, ref } from 'vue';
import { ApiError, type Problem } from '../../../api/client';
import { onboarding } from '../../../api/endpoints';
import type { CommentView, Page } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary } from '../../../components/Feedback';
import { TextareaField } from '../../../components/fields/TextareaField';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { invalidate, reload, useResource } from '../../../state/resource';
import { canStaffWrite, isStaff } from '../../../state/session';
import { failure } from './shared';

/** Comments on the case: the staff and the client administrator write to each other here. */
export const Comments = defineComponent({
  name: 'Comments',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const comments = useResource<Page<CommentView>>(() => `comments:${props.tenantId}`, () => onboarding.comments(props.tenantId));
    const text = ref('');
    const error = ref<string | undefined>(undefined);
    const problem = ref<Problem | null>(null);
    const busy = ref(false);
    const mayWrite = computed(() => canStaffWrite() || !isStaff());

    async function add(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      error.value = text.value.trim() === '' ? 'Écrivez votre commentaire.' : undefined;
      if (error.value) {
        document.getElementById('commentaire')?.focus();
        return;
      }
      busy.value = true;
      try {
        await onboarding.addComment(props.tenantId, text.value.trim());
        text.value = '';
        await reload(`comments:${props.tenantId}`);
        invalidate(`audit:${props.tenantId}`);
      } catch (failed) {
        problem.value = failure(failed);
        if (failed instanceof ApiError) error.value = failed.fieldMessages['body'];
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const state = comments();
      return (
        <section class="card" aria-labelledby="commentaires">
          <h3 id="commentaires">Commentaires</h3>
          {mayWrite.value ? (
            <form novalidate onSubmit={(e: Event) => void add(e)}>
              <ProblemSummary problem={problem.value} fields={['body']} title="Le commentaire n’a pas été publié" />
              <TextareaField id="commentaire" label="Nouveau commentaire" required maxlength={5000} modelValue={text.value} onUpdate={(v) => (text.value = v)} error={error.value} />
              <div class="actions">
                <Button type="submit" label="Publier le commentaire" severity="secondary" loading={busy.value} />
              </div>
            </form>
          ) : null}
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun commentaire.</p>
            ) : (
              <ol class="timeline" data-testid="comments">
                {state.data.items.map((c) => (
                  <li key={c.id}>
                    <div class="when">
                      {formatDateTime(c.createdAt)} · {c.author.displayName}
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
