import { defineComponent, onMounted, ref } from 'vue';
import { takeFocusRequest } from '../focus';

/** The heading of a section of a client's file (`#section-titre`), focused when navigated to. */
export const SectionTitle = defineComponent({
  name: 'SectionTitle',
  setup(_props, { slots }) {
    const heading = ref<HTMLElement | null>(null);
    onMounted(() => {
      if (takeFocusRequest('section')) heading.value?.focus();
    });
    return () => (
      <h2 id="section-titre" tabindex="-1" ref={heading}>
        {slots['default']?.()}
      </h2>
    );
  },
});
