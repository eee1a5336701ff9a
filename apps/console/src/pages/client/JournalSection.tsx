import { computed, defineComponent, ref, type PropType } from 'vue';
import { audit, type JournalFilters } from '../../api/endpoints';
import type { AuditAuthorView, AuditEntryView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { PageSteps, pageCount } from '../../components/PageSteps';
import { formatDateTime } from '../../format';
import { reload, useResource } from '../../state/resource';
import { SectionTitle } from '../../components/SectionTitle';
import { SelectField } from '../../components/fields/SelectField';
import { AUDIT_ACTOR_LABELS, AUDIT_KINDS, auditActionLabel, describeAuditChanges } from '@fcplat/domain';

const PAGE_SIZE = 20;

function actorOf(entry: AuditEntryView): string {
  const type = AUDIT_ACTOR_LABELS[entry.actor.type] ?? entry.actor.type;
  return entry.actor.displayName ? `${entry.actor.displayName} (${type})` : type;
}

/** The « Journal » section: the audit log of the client, newest first. */
export default defineComponent({
  name: 'JournalSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const page = ref(1);
    const kind = ref('');
    const author = ref('');
    const filters = (): JournalFilters => ({ action: kind.value || undefined, actorId: author.value || undefined });
    const key = () => `audit:${props.tenant.id}:${kind.value}:${author.value}:${page.value}`;
    const journal = useResource<Page<AuditEntryView>>(key, () => audit.forTenant(props.tenant.id, page.value, PAGE_SIZE, filters()), 0);
    const authors = useResource<{ items: AuditAuthorView[] }>(() => `audit:${props.tenant.id}:authors`, () => audit.authors(props.tenant.id), 0);
    const authorOptions = computed(() => [
      { value: '', label: 'Toutes les personnes' },
      ...(authors()?.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${AUDIT_ACTOR_LABELS[a.kind] ?? a.kind})` })),
    ]);
    return () => {
      const state = journal();
      const data = state?.data ?? null;
      const pages = data ? pageCount(data.total, PAGE_SIZE) : 1;
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Journal
          </SectionTitle>
          <p class="muted">Toutes les actions sur ce client, de la plus récente à la plus ancienne. Les secrets n’y figurent jamais.</p>
          <div class="grid-2">
            <SelectField
              id="journal-type"
              label="Type d’action"
              options={[{ value: '', label: 'Toutes les actions' }, ...AUDIT_KINDS.map((k) => ({ value: k.prefix, label: k.label }))]}
              modelValue={kind.value}
              onUpdate={(v) => {
                kind.value = v;
                page.value = 1;
              }}
            />
            <SelectField
              id="journal-auteur"
              label="Auteur"
              options={authorOptions.value}
              modelValue={author.value}
              onUpdate={(v) => {
                author.value = v;
                page.value = 1;
              }}
            />
          </div>
          <p>
            <a href={audit.exportUrl(props.tenant.id, filters())} download data-testid="journal-export">
              Exporter le journal en CSV
            </a>{' '}
            <span class="muted">(tableur : séparateur « ; », dates à l’heure de Paris{kind.value || author.value ? ', avec les filtres choisis' : ''})</span>
          </p>
          {data ? (
            <div class="card">
              {data.items.length === 0 ? (
                <p class="muted">Aucune action enregistrée.</p>
              ) : (
                <ol class="timeline" data-testid="journal">
                  {data.items.map((entry) => (
                    <li key={entry.id}>
                      <div class="when">
                        {formatDateTime(entry.occurredAt)} · {actorOf(entry)}
                      </div>
                      <div>
                        <strong>{auditActionLabel(entry.action)}</strong>
                      </div>
                      {Object.keys(entry.changes).length > 0 ? (
                        <ul class="journal-details">
                          {describeAuditChanges(entry.changes).map((d, i) => (
                            <li key={i}>
                              {d.label} : {d.text}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ol>
              )}
              <PageSteps page={page.value} pages={pages} label="Pages du journal" previous="Plus récentes" next="Plus anciennes" onGo={(p) => (page.value = p)} />
            </div>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement du journal…" />
          )}
        </section>
      );
    };
  },
});
