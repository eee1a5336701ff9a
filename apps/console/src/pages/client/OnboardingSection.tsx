import { MAIN_PATH, ONBOARDING_STAGES, ONBOARDING_STAGE_LABELS, isOnboardingStage, nextMainStage, type OnboardingStage } from '@fcplat/domain';
import { computed, defineComponent, nextTick, reactive, ref, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { accounts, onboarding } from '../../api/endpoints';
import type { CaseHistoryEntry, CaseView, CommentView, Page, TenantView, UserView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SelectField } from '../../components/fields/SelectField';
import { TextareaField } from '../../components/fields/TextareaField';
import { TextField } from '../../components/fields/TextField';
import type { Option } from '../../components/fields/shared';
import { formatCalendarDate, formatDate, formatDateTime, workingDays } from '../../format';
import { Button } from '../../prime/button';
import { invalidate, reload, set, useResource } from '../../state/resource';
import { canStaffWrite, isClientAdmin, isStaff } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';

const KIND_LABELS: Readonly<Record<CaseHistoryEntry['kind'], string>> = {
  opened: 'Ouverture du dossier',
  advance: 'Étape suivante',
  skip: 'Étapes sautées',
  rollback: 'Retour en arrière',
};

function failure(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
}

/** The main path as a row of steps: done, current, to come. */
function StageSteps(props: { stage: OnboardingStage }) {
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

/** Where the case stands, in plain words: how long, who acts, what is done and what comes next. */
const CaseSummary = defineComponent({
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

/**
 * Moving the case. Staff get the next stage in one click (whatever the API will say: a refusal
 * comes back with its reasons, shown here) and any other stage with a reason; a client
 * administrator gets the moves that are theirs (DataPass requests filed, production requested).
 */
const StageMoves = defineComponent({
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
                  modelValue={form.dsFileNumber}
                  onUpdate={(v) => (form.dsFileNumber = v)}
                  error={errors['dsFileNumber']}
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
                <SelectField id="etape-visee" label="Étape visée" options={otherOptions} modelValue={form.to} onUpdate={(v) => (form.to = v)} error={errors['to']} />
                {needsDs(chosen) ? (
                  <TextField id="ds-autre" label="Numéro du dossier Démarches Simplifiées" inputmode="numeric" modelValue={form.dsFileNumber} onUpdate={(v) => (form.dsFileNumber = v)} error={errors['dsFileNumber']} />
                ) : null}
                <TextareaField
                  id="motif"
                  label="Motif"
                  hint={chosenIsBack ? 'Obligatoire pour un retour en arrière ; il apparaît dans l’historique.' : 'Il apparaît dans l’historique.'}
                  required={chosenIsBack}
                  maxlength={2000}
                  modelValue={form.reason}
                  onUpdate={(v) => (form.reason = v)}
                  error={errors['reason']}
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

/** The staff member in charge, and the Démarches Simplifiées file number (staff who may write). */
const CaseSettings = defineComponent({
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
          <SelectField id="responsable" label="Responsable du dossier" options={options.value} modelValue={form.assignee} onUpdate={(v) => (form.assignee = v)} error={errors['assigneeId']} />
          <TextField
            id="ds"
            label="Numéro du dossier Démarches Simplifiées"
            inputmode="numeric"
            maxlength={12}
            modelValue={form.dsFileNumber}
            onUpdate={(v) => (form.dsFileNumber = v)}
            error={errors['dsFileNumber']}
          />
          <div class="actions">
            <Button type="submit" label="Enregistrer le suivi" severity="secondary" loading={busy.value} />
          </div>
        </form>
      </section>
    );
  },
});

const StageHistory = defineComponent({
  name: 'StageHistory',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const history = useResource<Page<CaseHistoryEntry>>(() => `case-history:${props.tenantId}`, () => onboarding.history(props.tenantId));
    return () => {
      const state = history();
      return (
        <section class="card" aria-labelledby="historique-etapes">
          <h3 id="historique-etapes">Historique des étapes</h3>
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun changement d’étape pour l’instant.</p>
            ) : (
              <ol class="timeline" data-testid="stage-history">
                {state.data.items.map((h) => (
                  <li key={h.id}>
                    <div class="when">
                      {formatDateTime(h.occurredAt)} · {h.actor.displayName ?? (h.actor.type === 'system' ? 'la plateforme' : 'inconnu')}
                    </div>
                    <div>
                      <strong>{h.toStageLabel}</strong> <span class="muted">({KIND_LABELS[h.kind]})</span>
                    </div>
                    {h.reason ? <div>Motif : {h.reason}</div> : null}
                  </li>
                ))}
              </ol>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`case-history:${props.tenantId}`)} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** Comments on the case: the staff and the client administrator write to each other here. */
const Comments = defineComponent({
  name: 'Comments',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const comments = useResource<Page<CommentView>>(() => `comments:${props.tenantId}`, () => onboarding.comments(props.tenantId));
    const text = ref('');
    const error = ref<string | undefined>(undefined);
    const problem = ref<Problem | null>(null);
    const busy = ref(false);
    const mayWrite = computed(() => canStaffWrite() || !isStaff());

    async function add(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      error.value = text.value.trim() === '' ? 'Écrivez votre commentaire.' : undefined;
      if (error.value) {
        document.getElementById('commentaire')?.focus();
        return;
      }
      busy.value = true;
      try {
        await onboarding.addComment(props.tenantId, text.value.trim());
        text.value = '';
        await reload(`comments:${props.tenantId}`);
        invalidate(`audit:${props.tenantId}`);
      } catch (failed) {
        problem.value = failure(failed);
        if (failed instanceof ApiError) error.value = failed.fieldMessages['body'];
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const state = comments();
      return (
        <section class="card" aria-labelledby="commentaires">
          <h3 id="commentaires">Commentaires</h3>
          {mayWrite.value ? (
            <form novalidate onSubmit={(e: Event) => void add(e)}>
              <ProblemSummary problem={problem.value} fields={['body']} title="Le commentaire n’a pas été publié" />
              <TextareaField id="commentaire" label="Nouveau commentaire" required maxlength={5000} modelValue={text.value} onUpdate={(v) => (text.value = v)} error={error.value} />
              <div class="actions">
                <Button type="submit" label="Publier le commentaire" severity="secondary" loading={busy.value} />
              </div>
            </form>
          ) : null}
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun commentaire.</p>
            ) : (
              <ol class="timeline" data-testid="comments">
                {state.data.items.map((c) => (
                  <li key={c.id}>
                    <div class="when">
                      {formatDateTime(c.createdAt)} · {c.author.displayName}
                    </div>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{c.body}</div>
                  </li>
                ))}
              </ol>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`comments:${props.tenantId}`)} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** The « Parcours » section: where the onboarding stands and what happens next. */
export default defineComponent({
  name: 'OnboardingSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const kase = useResource<CaseView>(() => `case:${props.tenant.id}`, () => onboarding.get(props.tenant.id));
    return () => {
      const state = kase();
      const view = state?.data ?? null;
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Parcours d’intégration
          </SectionTitle>
          {view ? (
            <>
              <CaseSummary view={view} />
              <StageMoves view={view} tenantId={props.tenant.id} />
              {canStaffWrite() ? <CaseSettings key={view.version} view={view} tenantId={props.tenant.id} /> : null}
              <StageHistory tenantId={props.tenant.id} />
              <Comments tenantId={props.tenant.id} />
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`case:${props.tenant.id}`)} />
          ) : (
            <LoadingState label="Chargement du parcours…" />
          )}
        </section>
      );
    };
  },
});
