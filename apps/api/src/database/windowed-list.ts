/**
 * Counts of the lists that grow with the number of tenants (tenant list, onboarding pipeline):
 * counted up to `LIST_WINDOW + 1` rows only, so a count costs the same at 10,000 or 100,000
 * tenants; beyond the window the answer says « more than `LIST_WINDOW` » (`totalCapped`).
 */
import { LIST_WINDOW } from '@fcplat/contract';

/** A count of the rows of `rowsSql` (a SELECT without ORDER BY or LIMIT) that stops after `LIST_WINDOW + 1` rows. */
export function windowedCountSql(rowsSql: string): string {
  return `SELECT count(*)::int AS n FROM (${rowsSql} LIMIT ${LIST_WINDOW + 1}) AS window_rows`;
}

/** The `total` and `totalCapped` of a windowed page, from what {@link windowedCountSql} counted. */
export function windowedTotal(counted: number): { total: number; totalCapped: boolean } {
  return counted > LIST_WINDOW ? { total: LIST_WINDOW, totalCapped: true } : { total: counted, totalCapped: false };
}
