import { defineComponent, onBeforeUnmount, ref } from 'vue';
import { Button } from '../prime/button';

/**
 * Copies a value to the clipboard and says so (« Copié »). Where the clipboard is refused
 * (insecure context, permission), it says to copy by hand: the value stays on screen as text.
 */
export const CopyButton = defineComponent({
  name: 'CopyButton',
  props: {
    value: { type: String, required: true },
    /** What is copied, for the accessible name: « Copier l’URL de redirection ». */
    label: { type: String, required: true },
    id: { type: String, default: undefined },
  },
  setup(props) {
    const state = ref<'idle' | 'copied' | 'failed'>('idle');
    let timer: ReturnType<typeof setTimeout> | undefined;
    onBeforeUnmount(() => clearTimeout(timer));

    async function copy(): Promise<void> {
      try {
        await navigator.clipboard.writeText(props.value);
        state.value = 'copied';
      } catch {
        state.value = 'failed';
      }
      clearTimeout(timer);
      timer = setTimeout(() => (state.value = 'idle'), 4000);
    }

    return () => (
      <span class="copy-button">
        <Button type="button" id={props.id} label="Copier" aria-label={props.label} severity="secondary" size="small" outlined onClick={() => void copy()} />
        <span role="status" class="muted">
          {state.value === 'copied' ? ' Copié dans le presse-papiers.' : state.value === 'failed' ? ' Copie impossible : sélectionnez le texte pour le copier.' : ''}
        </span>
      </span>
    );
  },
});
