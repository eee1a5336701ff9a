import { ONBOARDING_STAGES, ONBOARDING_STAGE_LABELS, isOnboardingStage, type OnboardingStage } from '@fcplat/domain';
import { computed, defineComponent, nextTick, onBeforeUnmount, ref, shallowRef, watch, watchEffect } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { accounts, onboarding } from '../../api/endpoints';
import type { BulkResult, CaseListItem, Page, PipelineView, UserView, WindowedPage } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { Pagination } from '../../components/Pagination';
import { pageCount } from '../../components/PageSteps';
import { CheckboxField } from '../../components/fields/CheckboxField';
import { SelectField } from '../../components/fields/SelectField';
import { TextField } from '../../components/fields/TextField';
import type { Option } from '../../components/fields/shared';
import { Button } from '../../prime/button';
import { canStaffWrite, session } from '../../state/session';
import { reload, useResource } from '../../state/resource';
import { PAGE_SIZE, Sort, SEARCH_DELAY_MS, Filters, filtersOf, queryOf, apiQuery, exportQuery } from './pipeline/filters';
import { BulkActions, BulkResults } from './pipeline/BulkActions';
import { CaseTable, type CaseSelection } from './pipeline/CaseTable';
import { StageBoard } from './pipeline/StageBoard';

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
    const cases = useResource<WindowedPage<CaseListItem>>(casesKey, () => onboarding.cases(apiQuery(filters.value)));
    // While another filter or page loads, the cases shown so far stay on screen (marked as updating).
    const shown = shallowRef<WindowedPage<CaseListItem> | null>(null);
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

    // The cases ticked for a bulk action: those of the page on screen (a new page or filter clears them).
    const selectedIds = ref<ReadonlySet<string>>(new Set());
    watch(casesKey, () => (selectedIds.value = new Set()));
    const selection: CaseSelection = {
      get ids() {
        return selectedIds.value;
      },
      toggle(tenantId, on) {
        const next = new Set(selectedIds.value);
        if (on) next.add(tenantId);
        else next.delete(tenantId);
        selectedIds.value = next;
      },
      toggleAll(on) {
        selectedIds.value = new Set(on ? (shown.value?.items.map((c) => c.tenantId) ?? []) : []);
      },
    };
    const lastBulk = shallowRef<{ result: BulkResult; action: string } | null>(null);
    async function bulkDone(result: BulkResult, action: string): Promise<void> {
      lastBulk.value = { result, action };
      // The refused cases stay ticked, to retry or act otherwise; the others are done.
      selectedIds.value = new Set(result.results.filter((r) => !r.ok).map((r) => r.tenantId));
      refresh();
      await nextTick();
      document.getElementById('groupe-resultats')?.focus();
    }
    const bulkAssignees = computed<Option[]>(() => (staff()?.data?.items ?? []).filter((s) => s.role === 'admin' || s.role === 'onboarding_agent').map((s) => ({ value: s.id, label: s.displayName })));

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
      const pages = page ? pageCount(page.total, PAGE_SIZE) : 1;
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
              <a class="link-button link-button--secondary" href={onboarding.exportUrl(exportQuery(f))} download data-testid="pipeline-export">
                Exporter en CSV<span class="visually-hidden"> les dossiers filtrés</span>
              </a>
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
                    : page.totalCapped
                      ? `Plus de ${page.total.toLocaleString('fr-FR')} dossiers : affinez la recherche ou les filtres pour voir au-delà${list?.loading ? ' (mise à jour…)' : ''}`
                      : `${page.total.toLocaleString('fr-FR')} dossier${page.total > 1 ? 's' : ''}${list?.loading ? ' (mise à jour…)' : ''}`}
                </p>
                {canStaffWrite() ? (
                  <BulkActions selected={[...selectedIds.value]} assignees={bulkAssignees.value} onDone={(result, action) => void bulkDone(result, action)} />
                ) : null}
                {lastBulk.value ? <BulkResults result={lastBulk.value.result} action={lastBulk.value.action} /> : null}
                {page.total === 0 ? null : (
                  <CaseTable page={page} filters={f} pages={pages} busy={list?.loading ?? false} onSort={sortBy} selection={canStaffWrite() ? selection : undefined} />
                )}
                <Pagination page={f.page} pages={pages} query={queryOf({ ...f, page: 1 })} label="Pages des dossiers" />
              </>
            )}
          </section>
        </div>
      );
    };
  },
});
