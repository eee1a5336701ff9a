import { FRANCECONNECT_ENVIRONMENT_LABELS, ROBOT_VERDICT_LABELS } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import { robot } from '../../../api/endpoints';
import type { RobotItemView as RobotItemData } from '@fcplat/contract';
import { Message } from '../../../prime/message';
import { Tag } from '../../../prime/tag';
import { VERDICT_SEVERITY, PERSON_WORDS, ROBOT_WORDS, valueText } from './text';

/** One prerequisite as the robot saw it. */
export const RobotItemView = defineComponent({
  name: 'RobotItemView',
  props: {
    tenantId: { type: String, required: true },
    runId: { type: String, required: true },
    item: { type: Object as PropType<RobotItemData>, required: true },
  },
  setup(props) {
    return () => {
      const item = props.item;
      // PostgreSQL's jsonb keeps no key order: sorted, the same measure is always in the same place.
      const evidence = Object.entries(item.evidence).sort(([a], [b]) => a.localeCompare(b, 'fr'));
      return (
        <article class="checklist-item robot-item" data-testid={`robot-${item.id}`} aria-labelledby={`robot-titre-${item.id}`}>
          <h4 id={`robot-titre-${item.id}`}>
            {item.id} · {item.title}
          </h4>
          <div class="status-line">
            <Tag severity={VERDICT_SEVERITY[item.verdict]} value={item.verdictLabel} data-testid="robot-verdict" />
            {item.environment ? <span class="muted">Vérifié sur : {FRANCECONNECT_ENVIRONMENT_LABELS[item.environment]}</span> : null}
            {item.changed ? (
              <span class="badge badge--changed" data-testid="robot-changed">
                {item.previousVerdict ? `Changé : était ${ROBOT_VERDICT_LABELS[item.previousVerdict]}` : 'Nouveau depuis la vérification précédente'}
              </span>
            ) : null}
          </div>
          <p data-testid="robot-summary">{item.summary}</p>
          {item.person?.disagrees ? (
            <div class="robot-disagreement" data-testid="robot-disagreement">
              <Message severity="warn" closable={false}>
                {{
                  default: () =>
                    `Une personne a jugé cet élément ${PERSON_WORDS[item.person?.status ?? 'todo']} ; le robot le trouve ${ROBOT_WORDS[item.verdict]}. Le verdict de la personne est conservé.`,
                }}
              </Message>
            </div>
          ) : null}
          {item.findings.length > 0 ? (
            <>
              <p class="robot-label" id={`robot-constats-${item.id}`}>
                Constats :
              </p>
              <ul aria-labelledby={`robot-constats-${item.id}`} data-testid="robot-findings">
                {item.findings.map((finding, index) => (
                  <li key={index}>{finding}</li>
                ))}
              </ul>
            </>
          ) : null}
          {evidence.length > 0 ? (
            <details class="robot-evidence" data-testid="robot-evidence">
              <summary>
                Mesures relevées ({evidence.length})<span class="visually-hidden"> pour {item.id}</span>
              </summary>
              <dl class="definition-list">
                {evidence.map(([key, value]) => [
                  <dt key={`k-${key}`}>{key}</dt>,
                  <dd key={`v-${key}`}>
                    <span class="code">{valueText(value)}</span>
                  </dd>,
                ])}
              </dl>
            </details>
          ) : null}
          {item.screenshots.length > 0 ? (
            <ul class="robot-shots" aria-label={`Captures de ${item.id}`}>
              {item.screenshots.map((shot) => (
                <li key={shot.name}>
                  <a href={robot.screenshotUrl(props.tenantId, props.runId, shot.name)} target="_blank" rel="noopener">
                    <img src={robot.screenshotUrl(props.tenantId, props.runId, shot.name)} alt={shot.label} loading="lazy" data-testid="robot-screenshot" />
                    <span class="robot-shot-label">
                      {shot.label}
                      <span class="visually-hidden"> (taille réelle, nouvel onglet)</span>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </article>
      );
    };
  },
});
