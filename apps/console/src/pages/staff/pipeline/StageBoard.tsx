import { type OnboardingStage } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import type { PipelineView } from '@fcplat/contract';

/** The stage counts: one button per stage filters the list on it (pressed when active). */
export const StageBoard = defineComponent({
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
