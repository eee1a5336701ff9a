import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

/** `?page=1&pageSize=25&sort=name&order=asc` with the sortable columns of one list. */
export function pageQuerySchema<const S extends readonly [string, ...string[]]>(sortable: S, defaultSort: S[number]) {
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
    sort: z.enum(sortable).default(defaultSort as never),
    order: z.enum(['asc', 'desc']).default('asc'),
  });
}

/** The schema of a page of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
}

/**
 * Lists that grow with the number of tenants (the tenant list, the onboarding pipeline) count and
 * page only within their first `LIST_WINDOW` matching rows, so that a request costs the same with
 * 10,000 or 100,000 tenants: the count stops at `LIST_WINDOW + 1` rows (`totalCapped`), and a page
 * must start within the window (narrow the search or the filters to reach further rows).
 */
export const LIST_WINDOW = 1000;

const WINDOW_TEXT = LIST_WINDOW.toLocaleString('fr-FR');

/** The check of a windowed list's query: its page starts within the first `LIST_WINDOW` rows. */
export function pageWithinWindow(query: { readonly page: number; readonly pageSize: number }, ctx: z.core.$RefinementCtx): void {
  if ((query.page - 1) * query.pageSize >= LIST_WINDOW) {
    ctx.addIssue({
      code: 'custom',
      path: ['page'],
      message: `seuls les ${WINDOW_TEXT} premiers résultats sont consultables : affinez la recherche ou les filtres`,
    });
  }
}

/** The schema of a page of `item` from a windowed list: `total` is counted up to `LIST_WINDOW`. */
export function windowedPageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().meta({ description: `Matching rows, counted up to ${LIST_WINDOW}` }),
    totalCapped: z.boolean().meta({ description: `\`true\` when more than ${LIST_WINDOW} rows match: \`total\` is then ${LIST_WINDOW}, a lower bound` }),
  });
}

/** A page of a list. */
export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** `{ items: [...] }`: a whole (short) list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** A page of a windowed list (`total` counted up to `LIST_WINDOW`, `totalCapped` when more match). */
export interface WindowedPage<T> extends Page<T> {
  readonly totalCapped: boolean;
}
