import { PUBLIC_BODY_KIND_LABELS, formatSiret } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import { tenants } from '../../../api/endpoints';
import type { TenantView } from '@fcplat/contract';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { Message } from '../../../prime/message';
import { useFormState } from '../../../state/form';
import { invalidate, set } from '../../../state/resource';
import { canStaffWrite } from '../../../state/session';
import type { BaseVersion } from './base-version';

/** What the company directory says about the body (read-only), and a new lookup for staff. */
export const DirectoryFacts = defineComponent({
  name: 'DirectoryFacts',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true } },
  setup(props) {
    const state = useFormState('annuaire-probleme');
    async function refresh(): Promise<void> {
      await state.run(async () => {
        const updated = await tenants.refreshDirectory(props.tenant.id);
        set(`tenant:${updated.id}`, updated);
        // The name may come from the directory: the forms are filled again from the new tenant.
        props.base.version = updated.version;
        props.base.generation += 1;
        invalidate(`audit:${updated.id}`);
        return 'Les informations de l’annuaire des entreprises ont été relues.';
      });
    }
    return () => {
      const t = props.tenant;
      const address = t.address ? [t.address.street, [t.address.postalCode, t.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
      return (
        <section class="card" aria-labelledby="identite-annuaire">
          <h3 id="identite-annuaire">Identité de l’organisme</h3>
          <dl class="definition-list">
            <dt>SIRET</dt>
            <dd>{formatSiret(t.siret)}</dd>
            <dt>Adresse</dt>
            <dd>{address ?? <span class="muted">non communiquée</span>}</dd>
            <dt>Catégorie juridique</dt>
            <dd>{t.legalCategory ? `${t.legalCategory.code} – ${t.legalCategory.label} (${PUBLIC_BODY_KIND_LABELS[t.legalCategory.kind]})` : <span class="muted">non communiquée</span>}</dd>
            <dt>Annuaire consulté</dt>
            <dd>{t.directoryCheckedAt ? formatDateTime(t.directoryCheckedAt) : <span class="muted">jamais</span>}</dd>
          </dl>
          {t.directoryWarnings.length > 0 ? (
            <div class="problem" data-testid="directory-warnings">
              <Message severity="warn" closable={false}>
                {{
                  default: () => (
                    <ul>
                      {t.directoryWarnings.map((w) => (
                        <li key={w.code}>{w.message}</li>
                      ))}
                    </ul>
                  ),
                }}
              </Message>
            </div>
          ) : null}
          {canStaffWrite() ? (
            <>
              <StatusMessage text={state.done.value} />
              <ProblemSummary id="annuaire-probleme" problem={state.problem.value} title="L’annuaire n’a pas pu être consulté" />
              <Button type="button" label="Interroger à nouveau l’annuaire" severity="secondary" outlined loading={state.busy.value} onClick={() => void refresh()} />
            </>
          ) : null}
        </section>
      );
    };
  },
});
