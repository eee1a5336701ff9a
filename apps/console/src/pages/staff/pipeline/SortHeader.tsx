import { Sort, Filters } from './filters';

/** A column header that sorts the list (aria-sort says how it is sorted now). */
export function SortHeader(props: { label: string; sort: Sort; filters: Filters; onSort: (sort: Sort) => void }) {
  const active = props.filters.sort === props.sort;
  const direction = props.filters.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" aria-sort={active ? direction : undefined}>
      <button type="button" class="sort-button" onClick={() => props.onSort(props.sort)}>
        {props.label}
        <span class="sort-indicator" aria-hidden="true">
          {active ? (props.filters.order === 'asc' ? '▲' : '▼') : ''}
        </span>
        <span class="visually-hidden">{active ? (props.filters.order === 'asc' ? ' (ordre croissant, activer pour inverser)' : ' (ordre décroissant, activer pour inverser)') : ', activer pour trier'}</span>
      </button>
    </th>
  );
}
