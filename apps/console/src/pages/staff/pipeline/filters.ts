import { isOnboardingStage, type OnboardingStage } from '@fcplat/domain';
import { type LocationQuery, type LocationQueryRaw } from 'vue-router';
import type { QueryOf } from '@fcplat/contract';
import { type CasesQuery } from '../../../api/endpoints';

export const PAGE_SIZE = 25;

export const SORTS = ['waiting', 'stage', 'name'] as const;

export type Sort = (typeof SORTS)[number];

export const SEARCH_DELAY_MS = 300;

/** The pipeline's filters, kept in the URL so that a view can be shared and the back button works. */
export interface Filters {
  readonly stage: OnboardingStage | null;
  readonly overdue: boolean;
  /** A staff id, `none` (unassigned) or null (everyone). */
  readonly assignee: string | null;
  readonly search: string;
  readonly page: number;
  readonly sort: Sort;
  readonly order: 'asc' | 'desc';
}

export function first(value: LocationQuery[string] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : null;
}

export function filtersOf(query: LocationQuery): Filters {
  const stage = first(query['etape']);
  const sort = first(query['tri']);
  const order = first(query['ordre']);
  const page = Number(first(query['page']) ?? '1');
  const validSort: Sort = (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : 'waiting';
  return {
    stage: isOnboardingStage(stage) ? stage : null,
    overdue: first(query['retard']) === 'oui',
    assignee: first(query['responsable']),
    search: (first(query['recherche']) ?? '').trim().slice(0, 100),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    sort: validSort,
    order: order === 'asc' || order === 'desc' ? order : validSort === 'waiting' ? 'desc' : 'asc',
  };
}

export function queryOf(filters: Filters): LocationQueryRaw {
  const defaultOrder = filters.sort === 'waiting' ? 'desc' : 'asc';
  return {
    ...(filters.stage ? { etape: filters.stage } : {}),
    ...(filters.overdue ? { retard: 'oui' } : {}),
    ...(filters.assignee ? { responsable: filters.assignee } : {}),
    ...(filters.search ? { recherche: filters.search } : {}),
    ...(filters.page > 1 ? { page: String(filters.page) } : {}),
    ...(filters.sort !== 'waiting' ? { tri: filters.sort } : {}),
    ...(filters.order !== defaultOrder ? { ordre: filters.order } : {}),
  };
}

export function apiQuery(filters: Filters): CasesQuery {
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    sort: filters.sort,
    order: filters.order,
    ...(filters.stage ? { stage: filters.stage } : {}),
    ...(filters.overdue ? { overdue: 'true' } : {}),
    ...(filters.assignee ? { assignee: filters.assignee } : {}),
    ...(filters.search ? { search: filters.search } : {}),
  };
}

/** The export's query: the list's filters and order, without pages. */
export function exportQuery(filters: Filters): NonNullable<QueryOf<'exportCases'>> {
  const { page: _page, pageSize: _size, ...rest } = apiQuery(filters);
  return rest;
}
