import { ONBOARDING_STAGES, ONBOARDING_STAGE_LABELS, formatSiret, isOnboardingStage, type OnboardingStage } from '@fcplat/domain';
import { computed, defineComponent, onBeforeUnmount, ref, shallowRef, watch, watchEffect, type PropType } from 'vue';
import { RouterLink, useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';
import { accounts, onboarding, type CasesQuery } from '../../api/endpoints';
import type { CaseListItem, Page, PipelineView, UserView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { Pagination } from '../../components/Pagination';
import { CheckboxField } from '../../components/fields/CheckboxField';
import { SelectField } from '../../components/fields/SelectField';
import { TextField } from '../../components/fields/TextField';
import type { Option } from '../../components/fields/shared';
import { formatCalendarDate, workingDays } from '../../format';
import { Button } from '../../prime/button';
import { canStaffWrite, session } from '../../state/session';
import { reload, useResource } from '../../state/resource';

const PAGE_SIZE = 25;
const SORTS = ['waiting', 'stage', 'name'] as const;
type Sort = (typeof SORTS)[number];
const SEARCH_DELAY_MS = 300;

/** The pipeline's filters, kept in the URL so that a view can be shared and the back button works. */
interface Filters {
  readonly stage: OnboardingStage | null;
  readonly overdue: boolean;
  /** A staff id, `none` (unassigned) or null (everyone). */
  readonly assignee: string | null;
  readonly search: string;
  readonly page: number;
  readonly sort: Sort;
  readonly order: 'asc' | 'desc';
}

function first(value: LocationQuery[string] | undefined): string | null {
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

function queryOf(filters: Filters): LocationQueryRaw {
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

function apiQuery(filters: Filters): CasesQuery {
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

/** A column header that sorts the list (aria-sort says how it is sorted now). */
function SortHeader(props: { label: string; sort: Sort; filters: Filters; onSort: (sort: Sort) => void }) {
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

/** The cases of one page, as a plain table: sortable headers (aria-sort), one row per case. */
function CaseTable(props: { page: Page<CaseListItem>; filters: Filters; pages: number; busy: boolean; onSort: (sort: Sort) => void }) {
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

/** The stage counts: one button per stage filters the list on it (pressed when active). */
const StageBoard = defineComponent({
  name: 'StageBoard',
  props: {
    pipeline: { type: Object as PropType<PipelineView>, required: true },
    selected: { type: String as PropType<OnboardingStage | null>, default: null },
    onSelect: { type: Function as PropType<(stage: OnboardingStage | null) => void>, required: true },
  },
  setup(props) {
    return () => {
      const cards = [
        { key: 'all', stage: null, label: 'Tous les dossiers', count: props.pipeline.total, overdue: props.pipeline.overdue },
        ...props.pipeline.stages.map((s) => ({ key: s.stage, stage: s.stage, label: s.label, count: s.count, overdue: s.overdue })),
      ];
      return (
        <ul class="stage-board" aria-label="Dossiers par étape">
          {cards.map((card) => (
            <li key={card.key}>
              <button
                type="button"
                class="stage-card"
                data-stage={card.stage ?? 'all'}
                aria-pressed={props.selected === card.stage ? 'true' : 'false'}
                onClick={() => props.onSelect(card.stage)}
              >
                <span class="stage-label">{card.label}</span>
                <span class="stage-count">{card.count.toLocaleString('fr-FR')}</span>
                <span class={['stage-overdue', card.overdue === 0 ? 'stage-overdue--none' : null]}>
                  {card.overdue === 0 ? 'aucun en retard' : `dont ${card.overdue.toLocaleString('fr-FR')} en retard`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      );
    };
  },
});

/**
 * The onboarding team's board: counts per stage, then the cases — filtered by stage, overdue,
 * assignee, name or SIRET — sorted and paginated by the API (it stays fast with 10,000 tenants).
 */
export default defineComponent({
  name: 'PipelinePage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const filters = computed(() => filtersOf(route.query));
    const pipeline = useResource<PipelineView>(() => 'pipeline', () => onboarding.pipeline());
    const staff = useResource<Page<UserView>>(() => 'staff', () => accounts.staff(), 5 * 60_000);
    const casesKey = computed(() => `cases:${JSON.stringify(apiQuery(filters.value))}`);
    const cases = useResource<Page<CaseListItem>>(casesKey, () => onboarding.cases(apiQuery(filters.value)));
    // While another filter or page loads, the cases shown so far stay on screen (marked as updating).
    const shown = shallowRef<Page<CaseListItem> | null>(null);
    watchEffect(() => {
      const data = cases()?.data;
      if (data) shown.value = data;
    });

    // The search box is typed into: it drives the URL after a pause, not at each key.
    const searchText = ref(filters.value.search);
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    watch(
      () => filters.value.search,
      (value) => {
        if (value !== searchText.value.trim()) searchText.value = value;
      },
    );
    onBeforeUnmount(() => clearTimeout(searchTimer));

    /** A filter change is a new history entry (the back button undoes it); typing a search replaces it. */
    function update(patch: Partial<Filters>, mode: 'push' | 'replace' = 'push'): void {
      const next: Filters = { ...filters.value, page: 1, ...patch };
      void router[mode]({ query: queryOf(next) });
    }

    function onSearch(value: string): void {
      searchText.value = value;
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => update({ search: value.trim().slice(0, 100) }, 'replace'), SEARCH_DELAY_MS);
    }

    const assigneeOptions = computed<Option[]>(() => {
      const me = session.me;
      const others = (staff()?.data?.items ?? []).filter((s) => s.id !== me?.id).map((s) => ({ value: s.id, label: s.displayName }));
      return [{ value: '', label: 'Tous' }, ...(me ? [{ value: me.id, label: `Moi (${me.displayName})` }] : []), { value: 'none', label: 'Non assigné' }, ...others];
    });

    const stageOptions: Option[] = [{ value: '', label: 'Toutes les étapes' }, ...ONBOARDING_STAGES.map((stage) => ({ value: stage, label: ONBOARDING_STAGE_LABELS[stage] }))];

    function refresh(): void {
      void reload('pipeline');
      void reload(casesKey.value);
    }

    function sortBy(sort: Sort): void {
      const current = filters.value;
      // A second click on the sorted column reverses it; a new column starts in its natural order.
      const order = current.sort === sort ? (current.order === 'asc' ? 'desc' : 'asc') : sort === 'waiting' ? 'desc' : 'asc';
      update({ sort, order });
    }

    return () => {
      const f = filters.value;
      const board = pipeline();
      const list = cases();
      const page = list?.data ?? shown.value;
      const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
      const ready = Boolean(board?.data && page && !list?.loading);
      return (
        <div class="container" data-testid="pipeline" data-state={ready ? 'ready' : 'loading'}>
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Suivi des intégrations</h1>
              <p class="muted">Où en est chaque client, depuis combien de jours ouvrés, et qui doit agir.</p>
            </div>
            <div class="actions">
              {canStaffWrite() ? (
                <RouterLink class="link-button" to={{ name: 'new-client' }}>
                  {{ default: () => 'Nouveau client' }}
                </RouterLink>
              ) : null}
              <Button type="button" label="Actualiser" severity="secondary" outlined onClick={refresh} />
            </div>
          </div>

          <section aria-labelledby="etapes-titre">
            <h2 id="etapes-titre">Dossiers par étape</h2>
            {board?.data ? (
              <StageBoard pipeline={board.data} selected={f.stage} onSelect={(stage: OnboardingStage | null) => update({ stage })} />
            ) : board?.error ? (
              <ErrorState error={board.error} onRetry={() => void reload('pipeline')} />
            ) : (
              <LoadingState label="Chargement des étapes…" />
            )}
          </section>

          <section aria-labelledby="dossiers-titre">
            <h2 id="dossiers-titre">Dossiers</h2>
            <form class="card filters" role="search" aria-label="Filtrer les dossiers" onSubmit={(e: Event) => e.preventDefault()}>
              <TextField
                id="recherche"
                label="Nom ou début du SIRET"
                optionalMark={false}
                modelValue={searchText.value}
                onUpdate={onSearch}
                maxlength={100}
                autocomplete="off"
              />
              <SelectField id="filtre-etape" label="Étape" options={stageOptions} modelValue={f.stage ?? ''} onUpdate={(v) => update({ stage: isOnboardingStage(v) ? v : null })} />
              <SelectField id="filtre-responsable" label="Responsable" options={assigneeOptions.value} modelValue={f.assignee ?? ''} onUpdate={(v) => update({ assignee: v || null })} />
              <CheckboxField id="filtre-retard" label="En retard uniquement" modelValue={f.overdue} onUpdate={(v) => update({ overdue: v })} />
            </form>

            {list?.error ? (
              <ErrorState error={list.error} onRetry={() => void reload(casesKey.value)} />
            ) : !page ? (
              <LoadingState label="Chargement des dossiers…" />
            ) : (
              <>
                <p class="result-count" role="status" id="resultats" data-testid="result-count">
                  {page.total === 0
                    ? 'Aucun dossier ne correspond à ces filtres.'
                    : `${page.total.toLocaleString('fr-FR')} dossier${page.total > 1 ? 's' : ''}${list?.loading ? ' (mise à jour…)' : ''}`}
                </p>
                {page.total === 0 ? null : <CaseTable page={page} filters={f} pages={pages} busy={list?.loading ?? false} onSort={sortBy} />}
                <Pagination page={f.page} pages={pages} query={queryOf({ ...f, page: 1 })} label="Pages des dossiers" />
              </>
            )}
          </section>
        </div>
      );
    };
  },
});
