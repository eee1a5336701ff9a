import { defineComponent, type PropType } from 'vue';
import type { RobotRunDetailView } from '@fcplat/contract';
import { formatDateTime } from '../../../format';
import { environmentText, durationText, countsText, whyText } from './text';
import { RobotItemView } from './RobotItemView';

/** The last completed run: when, why, the environments proven, the counts and every item. */
export const LastRun = defineComponent({
  name: 'RobotLastRun',
  props: {
    tenantId: { type: String, required: true },
    run: { type: Object as PropType<RobotRunDetailView>, required: true },
    blocking: { type: Array as PropType<readonly string[]>, required: true },
  },
  setup(props) {
    return () => {
      const run = props.run;
      return (
        <section class="card" aria-labelledby="robot-derniere" data-testid="robot-last-run">
          <h3 id="robot-derniere">Dernière vérification</h3>
          <dl class="definition-list">
            <dt>Terminée le</dt>
            <dd data-testid="robot-finished-at">
              {formatDateTime(run.finishedAt)} (durée {durationText(run.durationMs)})
            </dd>
            <dt>Motif</dt>
            <dd data-testid="robot-why">{whyText(run)}</dd>
            <dt>Parcours vérifié sur</dt>
            <dd data-testid="robot-live-environment">{environmentText(run.liveEnvironment)}</dd>
            <dt>Connexion vérifiée avec</dt>
            <dd data-testid="robot-login-environment">{environmentText(run.loginEnvironment)}</dd>
            <dt>Résultat</dt>
            <dd data-testid="robot-counts">{countsText(run.counts)}</dd>
          </dl>
          {props.blocking.length > 0 ? (
            <p class="field-error" data-testid="robot-blocking">
              Non conforme(s) selon le robot, ce qui bloque la demande de qualification : {props.blocking.join(', ')}.
            </p>
          ) : (
            <p class="field-ok">Aucun prérequis non conforme selon le robot.</p>
          )}
          <div>
            {run.items.map((item) => (
              <RobotItemView key={item.id} tenantId={props.tenantId} runId={run.id} item={item} />
            ))}
          </div>
        </section>
      );
    };
  },
});
