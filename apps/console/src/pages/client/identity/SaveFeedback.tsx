import { defineComponent, type PropType } from 'vue';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { Button } from '../../../prime/button';
import type { useFormState } from '../../../state/form';

/**
 * What a form of the client's file says after a save: the confirmation (`<prefix>-statut`), the
 * refusal (`<prefix>-probleme`), and after a conflict (409) a button to reload the file.
 */
export const SaveFeedback = defineComponent({
  name: 'SaveFeedback',
  props: {
    prefix: { type: String, required: true },
    title: { type: String, required: true },
    state: { type: Object as PropType<ReturnType<typeof useFormState>>, required: true },
    onReload: { type: Function as PropType<() => void>, required: true },
  },
  setup(props) {
    return () => (
      <>
        <StatusMessage text={props.state.done.value} id={`${props.prefix}-statut`} />
        <ProblemSummary id={`${props.prefix}-probleme`} problem={props.state.problem.value} fields={Object.keys(props.state.errors)} title={props.title} />
        {props.state.problem.value?.status === 409 ? (
          <p>
            <Button type="button" label="Recharger la fiche" severity="secondary" size="small" onClick={() => props.onReload()} />
          </p>
        ) : null}
      </>
    );
  },
});
