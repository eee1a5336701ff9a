import { formatSiret } from '@fcplat/domain';
import { RouterLink } from 'vue-router';
import type { CaseListItem, Page } from '@fcplat/contract';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { formatCalendarDate, workingDays } from '../../../format';
import { Sort, Filters } from './filters';
import { SortHeader } from './SortHeader';

/** The cases of one page, as a plain table: sortable headers (aria-sort), one row per case. */
export function CaseTable(props: { page: Page<CaseListItem>; filters: Filters; pages: number; busy: boolean; onSort: (sort: Sort) => void }) {
  const f = props.filters;
  return (
    <div class="table-wrap">
      <table class="data-table case-table" aria-describedby="resultats">
        <caption class="visually-hidden">Dossiers d’intégration, page {f.page} sur {props.pages}</caption>
        <thead>
          <tr>
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
            <tr key={c.tenantId} data-testid="case-row">
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
