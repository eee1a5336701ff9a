import { defineComponent, type PropType } from 'vue';
import { RouterLink, type LocationQueryRaw } from 'vue-router';

/** Page numbers around the current one: 1 … 4 5 [6] 7 8 … 40. */
export function pageWindow(current: number, pages: number, radius = 2): (number | null)[] {
  const shown = new Set<number>([1, pages]);
  for (let p = current - radius; p <= current + radius; p += 1) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  sorted.forEach((p, i) => {
    const previous = sorted[i - 1];
    if (previous !== undefined && p - previous > 1) out.push(null);
    out.push(p);
  });
  return out;
}

/**
 * Pagination as links (`?page=N`): each page has its own URL, the current one is marked
 * `aria-current="page"`, and the whole is a named navigation landmark.
 */
export const Pagination = defineComponent({
  name: 'Pagination',
  props: {
    page: { type: Number, required: true },
    pages: { type: Number, required: true },
    /** The query of the current view, without `page`. */
    query: { type: Object as PropType<LocationQueryRaw>, required: true },
    label: { type: String, default: 'Pagination' },
  },
  setup(props) {
    const to = (page: number) => ({ query: { ...props.query, ...(page > 1 ? { page: String(page) } : {}) } });
    return () => {
      if (props.pages <= 1) return null;
      const link = (page: number, text: string, label: string, disabled: boolean) =>
        disabled ? (
          <span class="pagination-link pagination-link--disabled" aria-hidden="true">
            {text}
          </span>
        ) : (
          <RouterLink class="pagination-link" to={to(page)} aria-label={label}>
            {{ default: () => text }}
          </RouterLink>
        );
      return (
        <nav class="pagination" aria-label={props.label}>
          <ul>
            <li>{link(props.page - 1, '‹ Précédente', 'Page précédente', props.page <= 1)}</li>
            {pageWindow(props.page, props.pages).map((p, i) =>
              p === null ? (
                <li key={`gap-${i}`} aria-hidden="true" class="pagination-gap">
                  …
                </li>
              ) : (
                <li key={p}>
                  <RouterLink class="pagination-link" to={to(p)} aria-label={`Page ${p}`} aria-current={p === props.page ? 'page' : undefined}>
                    {{ default: () => String(p) }}
                  </RouterLink>
                </li>
              ),
            )}
            <li>{link(props.page + 1, 'Suivante ›', 'Page suivante', props.page >= props.pages)}</li>
          </ul>
        </nav>
      );
    };
  },
});
