import { defineComponent, ref } from 'vue';
import { liveEnvironments } from '../../../api/endpoints';
import type { LiveCheckView } from '@fcplat/contract';
import { ProblemSummary } from '../../../components/Feedback';
import { formatNumericDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { Message } from '../../../prime/message';
import { useFormState } from '../../../state/form';
import { invalidate } from '../../../state/resource';
import { STEP_LABELS, STEP_STATUS } from './steps';

/** « Tester la configuration » of the live FranceConnect environment: the verdict and every step. */
export const FranceConnectCheck = defineComponent({
  name: 'FranceConnectCheck',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const state = useFormState('fc-test-probleme');
    const report = ref<LiveCheckView | null>(null);
    async function check(): Promise<void> {
      report.value = null;
      await state.run(async () => {
        report.value = await liveEnvironments.checkFranceConnect(props.tenantId);
        invalidate(`audit:${props.tenantId}`);
        return null;
      });
    }
    return () => {
      const r = report.value;
      return (
        <div class="environment-check" data-testid="fc-check">
          <Button type="button" id="tester-configuration" label="Tester la configuration" severity="secondary" outlined loading={state.busy.value} onClick={() => void check()} />
          <p class="hint">Interroge le fournisseur d’identité de l’environnement en service avec les identifiants du client, sans usager ni session.</p>
          <ProblemSummary id="fc-test-probleme" problem={state.problem.value} title="Le test n’a pas pu être fait" />
          <div role="status" class="status-region" id="fc-test-statut">
            {r ? (
              <div data-testid="fc-check-result" data-ok={r.ok ? 'true' : 'false'}>
                <Message severity={r.ok ? 'success' : 'error'} closable={false}>
                  {{ default: () => `${r.summary} (« ${r.label} », testé le ${formatNumericDateTime(r.checkedAt)})` }}
                </Message>
                <ul class="check-steps" aria-label="Étapes du test">
                  {r.steps.map((s) => (
                    <li key={s.step} class={`check-step--${s.status}`} data-step={s.step} data-status={s.status}>
                      <span class="check-step-status">
                        <span aria-hidden="true">{STEP_STATUS[s.status].icon} </span>
                        {STEP_STATUS[s.status].text}
                      </span>{' '}
                      — <strong>{STEP_LABELS[s.step]}</strong> : {s.detail}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      );
    };
  },
});
