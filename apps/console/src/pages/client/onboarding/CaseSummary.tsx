import { defineComponent, type PropType } from 'vue';
import type { CaseView } from '@fcplat/contract';
import { formatCalendarDate, formatDate, workingDays } from '../../../format';
import { StageSteps } from './StageSteps';

/** Where the case stands, in plain words: how long, who acts, what is done and what comes next. */
export const CaseSummary = defineComponent({
  name: 'CaseSummary',
  props: { view: { type: Object as PropType<CaseView>, required: true } },
  setup(props) {
    return () => {
      const c = props.view;
      const t = c.timing;
      return (
        <section class="card" aria-labelledby="ou-en-est-on">
          <h3 id="ou-en-est-on">Où en est-on ?</h3>
          <StageSteps stage={c.stage} />
          <p data-testid="case-stage">
            Étape actuelle : <strong>{c.stageLabel}</strong> depuis le {formatDate(c.stageEnteredAt)} ({workingDays(t.workingDays)}).
            {t.overdue ? (
              <>
                {' '}
                <span class="badge badge--overdue">En retard de {workingDays(t.overdueBy)}</span>
              </>
            ) : null}
          </p>
          <p>{t.message}</p>
          <dl class="definition-list">
            <dt>Qui doit agir</dt>
            <dd data-testid="waiting-on">{t.waitingOnLabel}</dd>
            <dt>Délai de l’étape</dt>
            <dd>{t.slaWorkingDays === null ? 'sans délai' : `${workingDays(t.slaWorkingDays)}${t.deadline ? `, jusqu’au ${formatCalendarDate(t.deadline)}` : ''}`}</dd>
            <dt>Responsable</dt>
            <dd>{c.assignee ? c.assignee.displayName : 'non assigné'}</dd>
            <dt>Dossier Démarches Simplifiées</dt>
            <dd>{c.dsFileNumber ?? 'non renseigné'}</dd>
          </dl>
          <p data-testid="progress-summary">
            <strong>{c.progress.summary}</strong>
          </p>
          {c.progress.nextActions.length > 0 ? (
            <>
              <h4>Prochaines actions</h4>
              <ul data-testid="next-actions">
                {c.progress.nextActions.map((a, i) => (
                  <li key={i}>
                    <strong>{a.actorLabel} :</strong> {a.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {c.progress.blockers.length > 0 ? (
            <>
              <h4>Ce qui bloque l’étape suivante</h4>
              <ul data-testid="blockers">
                {c.progress.blockers.map((b) => (
                  <li key={b.code}>{b.message}</li>
                ))}
              </ul>
            </>
          ) : null}
          {c.progress.done.length > 0 ? (
            <>
              <h4>Déjà fait</h4>
              <ul>
                {c.progress.done.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      );
    };
  },
});
