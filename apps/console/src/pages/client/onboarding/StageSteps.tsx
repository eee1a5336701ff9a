import { MAIN_PATH, ONBOARDING_STAGE_LABELS, type OnboardingStage } from '@fcplat/domain';

/** The main path as a row of steps: done, current, to come. */
export function StageSteps(props: { stage: OnboardingStage }) {
  const path = props.stage === 'changes_requested' ? MAIN_PATH.flatMap((s) => (s === 'qualified' ? (['changes_requested', s] as const) : [s])) : MAIN_PATH;
  const current = path.indexOf(props.stage);
  return (
    <ol class="stage-steps" aria-label="Étapes de l’intégration">
      {path.map((stage, index) => (
        <li key={stage} class={index < current ? 'done' : index === current ? 'current' : undefined} aria-current={index === current ? 'step' : undefined}>
          {index < current ? <span class="visually-hidden">Fait : </span> : index === current ? <span class="visually-hidden">Étape actuelle : </span> : null}
          {ONBOARDING_STAGE_LABELS[stage]}
        </li>
      ))}
    </ol>
  );
}
