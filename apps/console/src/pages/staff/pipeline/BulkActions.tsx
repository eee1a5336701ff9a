import { ONBOARDING_STAGES, ONBOARDING_STAGE_LABELS, isOnboardingStage } from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import type { BulkResult } from '@fcplat/contract';
import { onboarding } from '../../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { TextField } from '../../../components/fields/TextField';
import type { Option } from '../../../components/fields/shared';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { bound } from '../../../components/fields/shared';

/** « 3 dossiers » */
function cases(n: number): string {
  return `${n} dossier${n > 1 ? 's' : ''}`;
}

/**
 * Bulk actions on the selected cases: assign them, or move them to a stage (each move checked by
 * the onboarding rules on its own). The API answers a result per case; the parent shows them.
 */
export const BulkActions = defineComponent({
  name: 'BulkActions',
  props: {
    selected: { type: Array as PropType<readonly string[]>, required: true },
    /** Staff who may follow cases (`value`: their id). */
    assignees: { type: Array as PropType<readonly Option[]>, required: true },
    onDone: { type: Function as PropType<(result: BulkResult, action: string) => void>, required: true },
  },
  setup(props) {
    const form = reactive({ assignee: '', stage: '', reason: '' });
    const state = useFormState('groupe-probleme', 'groupe-');

    async function assign(): Promise<void> {
      state.clear();
      state.errors['assignee'] = form.assignee ? undefined : 'Choisissez la personne à qui confier les dossiers.';
      if (await state.focusFirstError(['assignee'])) return;
      const ids = [...props.selected];
      const assigneeId = form.assignee === 'none' ? null : form.assignee;
      const label = props.assignees.find((a) => a.value === form.assignee)?.label ?? '';
      await state.run(async () => {
        const result = await onboarding.bulkAssign({ tenantIds: ids, assigneeId });
        props.onDone(result, assigneeId ? `Assigner à ${label}` : 'Retirer le responsable');
        return null;
      });
    }

    async function move(): Promise<void> {
      state.clear();
      state.errors['stage'] = isOnboardingStage(form.stage) ? undefined : 'Choisissez l’étape où déplacer les dossiers.';
      if ((await state.focusFirstError(['stage'])) || !isOnboardingStage(form.stage)) return;
      const ids = [...props.selected];
      const to = form.stage;
      const reason = form.reason.trim();
      await state.run(async () => {
        const result = await onboarding.bulkMove({ tenantIds: ids, to, ...(reason ? { reason } : {}) });
        props.onDone(result, `Déplacer vers « ${ONBOARDING_STAGE_LABELS[to]} »`);
        return null;
      });
    }

    const stageOptions: Option[] = [{ value: '', label: 'Choisir une étape' }, ...ONBOARDING_STAGES.map((stage) => ({ value: stage, label: ONBOARDING_STAGE_LABELS[stage] }))];

    return () => {
      const count = props.selected.length;
      return (
        <section class="card bulk-actions" aria-labelledby="groupe-titre" data-testid="bulk-actions">
          <h3 id="groupe-titre">Actions groupées</h3>
          <p class="muted" aria-live="polite" data-testid="bulk-selected">
            {count === 0 ? 'Cochez des dossiers dans la liste pour agir sur plusieurs à la fois.' : `${cases(count)} sélectionné${count > 1 ? 's' : ''}.`}
          </p>
          <ProblemSummary id="groupe-probleme" problem={state.problem.value} fields={['assignee', 'stage']} title="L’action groupée n’a pas été faite" />
          <StatusMessage text={state.done.value} />
          <div class="grid-2">
            <form novalidate aria-label="Assigner les dossiers sélectionnés" onSubmit={(e: Event) => (e.preventDefault(), void assign())}>
              <SelectField
                id="groupe-assignee"
                label="Confier à"
                options={[{ value: '', label: 'Choisir une personne' }, { value: 'none', label: 'Personne (retirer le responsable)' }, ...props.assignees]}
                {...bound(form, 'assignee', state.errors['assignee'])}
              />
              <Button type="submit" label="Assigner" disabled={count === 0} loading={state.busy.value} data-testid="bulk-assign" />
            </form>
            <form novalidate aria-label="Déplacer les dossiers sélectionnés" onSubmit={(e: Event) => (e.preventDefault(), void move())}>
              <SelectField id="groupe-stage" label="Déplacer vers l’étape" options={stageOptions} {...bound(form, 'stage', state.errors['stage'])} />
              <TextField
                id="groupe-reason"
                label="Motif"
                hint="Obligatoire pour un retour à une étape précédente ; il est noté dans l’historique de chaque dossier."
                {...bound(form, 'reason')}
                maxlength={2000}
              />
              <Button type="submit" label="Déplacer" disabled={count === 0} loading={state.busy.value} data-testid="bulk-move" />
            </form>
          </div>
        </section>
      );
    };
  },
});

/** What became of each case of the last bulk action: done, or refused and why (in the order sent). */
export function BulkResults(props: { result: BulkResult; action: string }) {
  const { result } = props;
  return (
    <section class="card bulk-results" aria-labelledby="groupe-resultats-titre" data-testid="bulk-results" tabindex="-1" id="groupe-resultats">
      <h3 id="groupe-resultats-titre">Résultat : {props.action}</h3>
      <p data-testid="bulk-summary">
        {result.succeeded} {result.succeeded > 1 ? 'dossiers traités' : 'dossier traité'}, {result.refused} {result.refused > 1 ? 'refusés' : 'refusé'}.
      </p>
      <div class="table-wrap">
        <table class="data-table">
          <caption class="visually-hidden">Résultat de l’action groupée, dossier par dossier</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Résultat</th>
              <th scope="col">Étape</th>
            </tr>
          </thead>
          <tbody>
            {result.results.map((r) => (
              <tr key={r.tenantId} data-testid="bulk-result" data-ok={r.ok ? 'true' : 'false'} data-code={r.code ?? ''}>
                <td>{r.tenantName ?? <span class="muted">Client introuvable</span>}</td>
                <td>
                  {r.ok ? (
                    <span class="badge badge--ok">Fait</span>
                  ) : (
                    <>
                      <span class="badge badge--overdue">Refusé</span>
                      {r.reasons.length > 0 ? (
                        <ul>
                          {r.reasons.map((reason) => (
                            <li key={reason.code}>{reason.message}</li>
                          ))}
                        </ul>
                      ) : (
                        <span> {r.message}</span>
                      )}
                    </>
                  )}
                </td>
                <td>{r.stageLabel ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
