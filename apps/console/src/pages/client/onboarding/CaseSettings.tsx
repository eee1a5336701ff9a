import { computed, defineComponent, reactive, ref, type PropType } from 'vue';
import { ApiError, type Problem } from '../../../api/client';
import { accounts, onboarding } from '../../../api/endpoints';
import type { CaseView, Page, UserView } from '@fcplat/contract';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { TextField } from '../../../components/fields/TextField';
import type { Option } from '../../../components/fields/shared';
import { Button } from '../../../prime/button';
import { invalidate, set, useResource } from '../../../state/resource';
import { failure } from './shared';
import { bound } from '../../../components/fields/shared';

/** The staff member in charge, and the Démarches Simplifiées file number (staff who may write). */
export const CaseSettings = defineComponent({
  name: 'CaseSettings',
  props: { view: { type: Object as PropType<CaseView>, required: true }, tenantId: { type: String, required: true } },
  setup(props) {
    const staff = useResource<Page<UserView>>(() => 'staff', () => accounts.staff(), 5 * 60_000);
    const form = reactive({ assignee: props.view.assignee?.id ?? '', dsFileNumber: props.view.dsFileNumber ?? '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const done = ref<string | null>(null);
    const busy = ref(false);
    const options = computed<Option[]>(() => [{ value: '', label: 'Non assigné' }, ...(staff()?.data?.items ?? []).map((s) => ({ value: s.id, label: s.displayName }))]);

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      busy.value = true;
      problem.value = null;
      done.value = null;
      errors['dsFileNumber'] = undefined;
      try {
        const view = await onboarding.patch(props.tenantId, { assigneeId: form.assignee || null, dsFileNumber: form.dsFileNumber.trim() || null });
        set(`case:${props.tenantId}`, view);
        invalidate('cases:', `audit:${props.tenantId}`);
        done.value = 'Le suivi du dossier est enregistré.';
      } catch (error) {
        problem.value = failure(error);
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <section class="card" aria-labelledby="suivi-interne">
        <h3 id="suivi-interne">Suivi interne</h3>
        <StatusMessage text={done.value} />
        <ProblemSummary problem={problem.value} fields={['dsFileNumber', 'assigneeId']} title="Le suivi n’a pas été enregistré" />
        <form novalidate class="grid-2" onSubmit={(e: Event) => void save(e)}>
          <SelectField id="responsable" label="Responsable du dossier" options={options.value} {...bound(form, 'assignee', errors['assigneeId'])} />
          <TextField
            id="ds"
            label="Numéro du dossier Démarches Simplifiées"
            inputmode="numeric"
            maxlength={12}
            {...bound(form, 'dsFileNumber', errors['dsFileNumber'])}
          />
          <div class="actions">
            <Button type="submit" label="Enregistrer le suivi" severity="secondary" loading={busy.value} />
          </div>
        </form>
      </section>
    );
  },
});
