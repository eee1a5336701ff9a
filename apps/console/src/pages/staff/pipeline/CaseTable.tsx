import { formatSiret } from '@fcplat/domain';
import { RouterLink } from 'vue-router';
import type { CaseListItem, Page } from '@fcplat/contract';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { formatCalendarDate, workingDays } from '../../../format';
import { Sort, Filters } from './filters';
import { SortHeader } from './SortHeader';

/** Which cases are ticked (staff who can write: for the bulk actions). */
export interface CaseSelection {
  readonly ids: ReadonlySet<string>;
  toggle(tenantId: string, on: boolean): void;
  toggleAll(on: boolean): void;
}

/**
 * The cases of one page, as a plain table: sortable headers (aria-sort), one row per case, and a
 * checkbox per row (with « select all on this page ») when a selection is given.
 */
export function CaseTable(props: { page: Page<CaseListItem>; filters: Filters; pages: number; busy: boolean; onSort: (sort: Sort) => void; selection?: CaseSelection | undefined }) {
  const f = props.filters;
  const selection = props.selection;
  const ticked = selection ? props.page.items.filter((c) => selection.ids.has(c.tenantId)).length : 0;
  const all = ticked > 0 && ticked === props.page.items.length;
  return (
    <div class="table-wrap">
      <table class="data-table case-table" aria-describedby="resultats">
        <caption class="visually-hidden">Dossiers d’intégration, page {f.page} sur {props.pages}</caption>
        <thead>
          <tr>
            {selection ? (
              <th scope="col" class="select-cell">
                <input
                  type="checkbox"
                  id="selection-page"
                  data-testid="select-page"
                  aria-label="Sélectionner tous les dossiers de cette page"
                  checked={all}
                  indeterminate={ticked > 0 && !all}
                  onChange={(e: Event) => selection.toggleAll((e.target as HTMLInputElement).checked)}
                />
              </th>
            ) : null}
            <SortHeader label="Client" sort="name" filters={f} onSort={props.onSort} />
            <SortHeader label="Étape" sort="stage" filters={f} onSort={props.onSort} />
            <SortHeader label="Attente" sort="waiting" filters={f} onSort={props.onSort} />
            <th scope="col">Qui doit agir</th>
            <th scope="col">Échéance</th>
            <th scope="col">Responsable</th>
            <th scope="col">
              Environnement<span class="visually-hidden"> FranceConnect en service</span>
            </th>
          </tr>
        </thead>
        <tbody aria-busy={props.busy ? 'true' : 'false'}>
          {props.page.items.map((c) => (
            <tr key={c.tenantId} data-testid="case-row" data-tenant={c.tenantId}>
              {selection ? (
                <td class="select-cell">
                  <input
                    type="checkbox"
                    data-testid="select-case"
                    aria-label={`Sélectionner ${c.tenantName}`}
                    checked={selection.ids.has(c.tenantId)}
                    onChange={(e: Event) => selection.toggle(c.tenantId, (e.target as HTMLInputElement).checked)}
                  />
                </td>
              ) : null}
              <td>
                <RouterLink to={{ name: 'client', params: { id: c.tenantId, section: 'suivi' } }}>{{ default: () => c.tenantName }}</RouterLink>
                <div class="muted">SIRET {formatSiret(c.siret)}</div>
              </td>
              <td>{c.stageLabel}</td>
              <td>{workingDays(c.waitingWorkingDays)}</td>
              <td data-testid="case-waiting-on">{c.waitingOnLabel}</td>
              <td>
                {c.deadline ? formatCalendarDate(c.deadline) : <span class="muted">sans délai</span>}
                {c.overdue ? (
                  <div>
                    <span class="badge badge--overdue">En retard</span>
                  </div>
                ) : null}
              </td>
              <td>{c.assignee ? c.assignee.displayName : <span class="muted">Non assigné</span>}</td>
              <td data-testid="case-environment">
                {c.liveEnvironments.franceconnect ? (
                  <EnvironmentBadge product="franceconnect" environment={c.liveEnvironments.franceconnect} short />
                ) : (
                  <>
                    <span class="muted" aria-hidden="true">
                      —
                    </span>
                    <span class="visually-hidden">aucun environnement choisi</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
