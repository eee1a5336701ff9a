import { ONBOARDING_STAGES, ONBOARDING_STAGE_LABELS, isOnboardingStage, nextMainStage, type OnboardingStage } from '@fcplat/domain';
import { defineComponent, nextTick, reactive, ref, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../../api/client';
import { onboarding } from '../../../api/endpoints';
import type { CaseView } from '@fcplat/contract';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { TextareaField } from '../../../components/fields/TextareaField';
import { TextField } from '../../../components/fields/TextField';
import type { Option } from '../../../components/fields/shared';
import { Button } from '../../../prime/button';
import { invalidate, set } from '../../../state/resource';
import { canStaffWrite, isClientAdmin, isStaff } from '../../../state/session';
import { failure } from './shared';
import { bound } from '../../../components/fields/shared';

/**
 * Moving the case. Staff get the next stage in one click (whatever the API will say: a refusal
 * comes back with its reasons, shown here) and any other stage with a reason; a client
 * administrator gets the moves that are theirs (DataPass requests filed, production requested).
 */
export const StageMoves = defineComponent({
  name: 'StageMoves',
  props: { view: { type: Object as PropType<CaseView>, required: true }, tenantId: { type: String, required: true } },
  setup(props) {
    const form = reactive({ to: '', reason: '', dsFileNumber: '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const done = ref<string | null>(null);
    const busy = ref(false);
    const otherOpen = ref(false);

    async function move(to: OnboardingStage, reason?: string, dsFileNumber?: string): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      problem.value = null;
      done.value = null;
      for (const key of Object.keys(errors)) errors[key] = undefined;
      try {
        const view = await onboarding.transition(props.tenantId, {
          to,
          ...(reason?.trim() ? { reason: reason.trim() } : {}),
          ...(dsFileNumber?.trim() ? { dsFileNumber: dsFileNumber.trim() } : {}),
        });
        set(`case:${props.tenantId}`, view);
        invalidate(`case-history:${props.tenantId}`, 'pipeline', 'cases:', `audit:${props.tenantId}`);
        done.value = `Le dossier est passé à l’étape « ${view.stageLabel} ».`;
        Object.assign(form, { to: '', reason: '', dsFileNumber: '' });
        otherOpen.value = false;
      } catch (error) {
        problem.value = failure(error);
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
        await nextTick();
        document.getElementById('transition-probleme')?.focus();
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const c = props.view;
      const next = nextMainStage(c.stage);
      const staffWrite = canStaffWrite();
      const chosen = isOnboardingStage(form.to) ? form.to : null;
      const chosenIsBack =
        chosen !== null && (c.availableTransitions.find((t) => t.to === chosen)?.reasonRequired ?? ONBOARDING_STAGES.indexOf(chosen) < ONBOARDING_STAGES.indexOf(c.stage));
      const needsDs = (to: OnboardingStage | null) => to === 'qualification_requested' && !c.dsFileNumber;
      const otherOptions: Option[] = [
        { value: '', label: 'Choisir une étape' },
        ...ONBOARDING_STAGES.filter((s) => s !== c.stage).map((s) => {
          const available = c.availableTransitions.find((t) => t.to === s);
          return { value: s, label: `${ONBOARDING_STAGE_LABELS[s]}${available ? '' : ' (conditions non remplies)'}` };
        }),
      ];
      // The moves that are the client administrator's own (DataPass requests filed, production requested).
      const clientMoves = isClientAdmin() ? c.availableTransitions : [];
      if (!staffWrite && clientMoves.length === 0) return <StatusMessage text={done.value} />;
      return (
        <section class="card" aria-labelledby="changer-etape">
          <h3 id="changer-etape">Faire avancer le dossier</h3>
          <StatusMessage text={done.value} id="transition-statut" />
          <ProblemSummary id="transition-probleme" problem={problem.value} fields={['reason', 'dsFileNumber']} title="Le changement d’étape est refusé" />
          {isStaff() && problem.value?.reasons.some((r) => r.code === 'robot_failed') ? (
            <p data-testid="transition-robot-link">
              <RouterLink to={{ name: 'client', params: { id: props.tenantId, section: 'robot' } }}>{{ default: () => 'Voir la dernière vérification du robot de qualification' }}</RouterLink>
            </p>
          ) : null}
          {staffWrite && next ? (
            <form
              novalidate
              onSubmit={(e: Event) => {
                e.preventDefault();
                void move(next, undefined, needsDs(next) ? form.dsFileNumber : undefined);
              }}
            >
              {needsDs(next) ? (
                <TextField
                  id="ds-suivant"
                  label="Numéro du dossier Démarches Simplifiées"
                  hint="Le dossier de demande de qualification déposé sur Démarches Simplifiées (chiffres uniquement)."
                  inputmode="numeric"
                  {...bound(form, 'dsFileNumber', errors['dsFileNumber'])}
                />
              ) : null}
              <div class="actions">
                <Button type="submit" id="avancer" label={`Passer à l’étape « ${ONBOARDING_STAGE_LABELS[next]} »`} loading={busy.value} />
              </div>
            </form>
          ) : null}
          {clientMoves.map((t) => (
            <div class="actions" key={t.to}>
              <Button type="button" label={`Déclarer l’étape « ${t.label} »`} loading={busy.value} onClick={() => void move(t.to)} />
            </div>
          ))}
          {staffWrite ? (
            <details open={otherOpen.value} onToggle={(event: Event) => (otherOpen.value = (event.target as HTMLDetailsElement).open)}>
              <summary>Autre changement d’étape (sauter des étapes, revenir en arrière)</summary>
              <form
                novalidate
                onSubmit={(e: Event) => {
                  e.preventDefault();
                  if (!chosen) {
                    errors['to'] = 'Choisissez l’étape visée.';
                    return;
                  }
                  void move(chosen, form.reason, needsDs(chosen) ? form.dsFileNumber : undefined);
                }}
              >
                <SelectField id="etape-visee" label="Étape visée" options={otherOptions} {...bound(form, 'to', errors['to'])} />
                {needsDs(chosen) ? (
                  <TextField id="ds-autre" label="Numéro du dossier Démarches Simplifiées" inputmode="numeric" {...bound(form, 'dsFileNumber', errors['dsFileNumber'])} />
                ) : null}
                <TextareaField
                  id="motif"
                  label="Motif"
                  hint={chosenIsBack ? 'Obligatoire pour un retour en arrière ; il apparaît dans l’historique.' : 'Il apparaît dans l’historique.'}
                  required={chosenIsBack}
                  maxlength={2000}
                  {...bound(form, 'reason', errors['reason'])}
                />
                <div class="actions">
                  <Button type="submit" label="Changer d’étape" severity="secondary" loading={busy.value} />
                </div>
              </form>
            </details>
          ) : null}
        </section>
      );
    };
  },
});
