import { Button } from '../prime/button';

/** How many pages of `pageSize` a list of `total` items takes (at least one). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export interface PageStepsProps {
  readonly page: number;
  readonly pages: number;
  /** The navigation landmark's name (« Pages du journal »). */
  readonly label: string;
  /** Called with the page to show. */
  readonly onGo: (page: number) => void;
  /** The buttons' labels; by default « Page précédente » and « Page suivante » (a journal says « Plus récentes », « Plus anciennes »). */
  readonly previous?: string;
  readonly next?: string;
  /**
   * `compact` (default): small buttons in an `actions` row, inside a section; `pager`: outlined
   * buttons in a `pager` row, the page announced politely to screen readers, for a list of its own.
   */
  readonly look?: 'compact' | 'pager';
}

/**
 * Previous and next buttons around « Page N sur M », for a list paged in place (a list paged in
 * its URL uses Pagination); nothing when everything fits on one page.
 */
export function PageSteps(props: PageStepsProps) {
  if (props.pages <= 1) return null;
  const pager = props.look === 'pager';
  const buttonLook = pager ? { outlined: true } : { size: 'small' as const };
  return (
    <nav class={pager ? 'pager' : 'actions'} aria-label={props.label}>
      <Button type="button" label={props.previous ?? 'Page précédente'} severity="secondary" {...buttonLook} disabled={props.page <= 1} onClick={() => props.onGo(props.page - 1)} />
      <span aria-live={pager ? 'polite' : undefined}>
        Page {props.page} sur {props.pages}
      </span>
      <Button type="button" label={props.next ?? 'Page suivante'} severity="secondary" {...buttonLook} disabled={props.page >= props.pages} onClick={() => props.onGo(props.page + 1)} />
    </nav>
  );
}
