import { computed, defineComponent, reactive, ref, watch, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import type { NotificationPage, NotificationPreferencesView, NotificationView } from '@fcplat/contract';
import { NOTIFICATION_MODE_LABELS, NOTIFICATION_MODES, type NotificationKind, type NotificationMode } from '@fcplat/domain';
import { notifications } from '../../api/endpoints';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { PageSteps, pageCount } from '../../components/PageSteps';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { useFormState } from '../../state/form';
import { setUnread } from '../../state/notifications';
import { reload, set, useResource } from '../../state/resource';

const PAGE_SIZE = 20;

/** One notification: what happened, when, a link to the case, and « Marquer comme lu » while unread. */
const NotificationItem = defineComponent({
  name: 'NotificationItem',
  props: {
    item: { type: Object as PropType<NotificationView>, required: true },
    busy: { type: Boolean, default: false },
    onRead: { type: Function as PropType<(id: string) => void>, required: true },
  },
  setup(props) {
    return () => {
      const n = props.item;
      const unread = n.readAt === null;
      return (
        <li class={['notification', unread ? 'notification--unread' : '']} data-testid="notification" data-unread={unread ? 'true' : 'false'}>
          <div class="when">
            {formatDateTime(n.createdAt)} · {n.kindLabel}
            {unread ? <span class="badge badge--unread">Non lu</span> : null}
          </div>
          <p class="notification-title">
            <strong>
              {n.link ? <RouterLink to={`/${n.link}`}>{{ default: () => n.title }}</RouterLink> : n.title}
            </strong>
          </p>
          <p>{n.body}</p>
          {unread ? (
            <Button type="button" size="small" severity="secondary" label="Marquer comme lu" aria-label={`Marquer comme lu : ${n.title}`} disabled={props.busy} onClick={() => props.onRead(n.id)} />
          ) : null}
        </li>
      );
    };
  },
});

/** The list: newest first, unread ones marked, mark one or all read, pages. */
const NotificationList = defineComponent({
  name: 'NotificationList',
  setup() {
    const page = ref(1);
    const key = () => `notifications:list:${page.value}`;
    const list = useResource<NotificationPage>(key, () => notifications.list(page.value, PAGE_SIZE), 0);
    const form = useFormState('notifications-probleme');

    async function markRead(id: string): Promise<void> {
      await form.run(async () => {
        const count = await notifications.read(id);
        setUnread(count);
        const data = list()?.data;
        if (data) set(key(), { ...data, unread: count.unread, items: data.items.map((n) => (n.id === id ? { ...n, readAt: new Date().toISOString() } : n)) });
        return null;
      });
    }

    async function markAll(): Promise<void> {
      await form.run(async () => {
        setUnread(await notifications.readAll());
        await reload(key());
        return 'Toutes vos notifications sont marquées comme lues.';
      });
    }

    return () => {
      const state = list();
      const data = state?.data ?? null;
      const pages = data ? pageCount(data.total, PAGE_SIZE) : 1;
      return (
        <section aria-labelledby="liste-titre" class="card">
          <h2 id="liste-titre">Vos notifications</h2>
          <ProblemSummary id="notifications-probleme" problem={form.problem.value} />
          <StatusMessage text={form.done.value} />
          {data ? (
            <>
              <div class="actions">
                <p data-testid="unread-summary">
                  {data.unread === 0 ? 'Aucune notification non lue.' : `${data.unread} notification${data.unread > 1 ? 's' : ''} non lue${data.unread > 1 ? 's' : ''}.`}
                </p>
                {data.unread > 0 ? <Button type="button" size="small" label="Tout marquer comme lu" disabled={form.busy.value} onClick={() => void markAll()} /> : null}
              </div>
              {data.items.length === 0 ? (
                <p class="muted">Rien pour l’instant : les changements qui vous concernent apparaîtront ici.</p>
              ) : (
                <ol class="notification-list" data-testid="notifications">
                  {data.items.map((item) => (
                    <NotificationItem key={item.id} item={item} busy={form.busy.value} onRead={(id: string) => void markRead(id)} />
                  ))}
                </ol>
              )}
              <PageSteps page={page.value} pages={pages} label="Pages des notifications" previous="Plus récentes" next="Plus anciennes" onGo={(p) => (page.value = p)} />
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement des notifications…" />
          )}
        </section>
      );
    };
  },
});

const MODE_HINTS: Readonly<Record<NotificationMode, string>> = {
  immediate: 'un e-mail dès que cela arrive',
  digest: 'un seul e-mail par jour',
  off: 'ni e-mail ni notification',
};

/** The preferences: for each kind this person may receive, a group of three radio buttons. */
const PreferencesForm = defineComponent({
  name: 'PreferencesForm',
  setup() {
    const key = 'notifications:preferences';
    const prefs = useResource<NotificationPreferencesView>(() => key, () => notifications.preferences(), 0);
    const chosen = reactive<Partial<Record<NotificationKind, NotificationMode>>>({});
    const form = useFormState('preferences-probleme', 'pref-');
    watch(
      () => prefs()?.data,
      (data) => {
        if (data) for (const item of data.items) chosen[item.kind] = item.mode;
      },
      { immediate: true },
    );
    const changed = computed(() => (prefs()?.data?.items ?? []).filter((item) => chosen[item.kind] !== item.mode));

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      await form.run(async () => {
        const modes = Object.fromEntries(changed.value.map((item) => [item.kind, chosen[item.kind]]));
        set(key, await notifications.putPreferences({ modes }));
        return 'Préférences enregistrées.';
      });
    }

    return () => {
      const state = prefs();
      const data = state?.data ?? null;
      return (
        <section aria-labelledby="preferences-titre" class="card">
          <h2 id="preferences-titre">Ce que vous recevez</h2>
          {data ? (
            <form onSubmit={(e: Event) => void save(e)} novalidate>
              <p class="muted">
                Pour chaque type d’événement : un e-mail immédiat, le récapitulatif quotidien (envoyé chaque jour à partir de {data.digestHour} h) ou rien. Les notifications
                immédiates et du récapitulatif apparaissent aussi dans la liste ci-dessus.
              </p>
              <ProblemSummary id="preferences-probleme" problem={form.problem.value} />
              {data.items.map((item) => (
                <fieldset class="preference" key={item.kind} id={`pref-modes-${item.kind}`} data-testid={`preference-${item.kind}`}>
                  <legend>{item.label}</legend>
                  <p class="muted preference-description">{item.description}</p>
                  <div class="preference-modes">
                    {NOTIFICATION_MODES.map((mode) => (
                      <label key={mode} class="radio">
                        <input
                          type="radio"
                          name={`mode-${item.kind}`}
                          value={mode}
                          checked={chosen[item.kind] === mode}
                          onChange={() => {
                            chosen[item.kind] = mode;
                          }}
                        />{' '}
                        {NOTIFICATION_MODE_LABELS[mode]}
                        {mode === item.defaultMode ? ' (par défaut)' : ''}
                        <span class="visually-hidden"> : {MODE_HINTS[mode]}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
              <div class="actions">
                <Button type="submit" label="Enregistrer les préférences" disabled={form.busy.value || changed.value.length === 0} />
              </div>
              <StatusMessage text={form.done.value} />
            </form>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key)} />
          ) : (
            <LoadingState label="Chargement des préférences…" />
          )}
        </section>
      );
    };
  },
});

/** « Notifications »: the person's list (with the unread count) and their preferences, staff and client administrators alike. */
export default defineComponent({
  name: 'NotificationsPage',
  setup() {
    return () => (
      <div class="container">
        <h1 tabindex="-1">Notifications</h1>
        <p class="muted">Ce qui s’est passé sur les dossiers qui vous concernent, et la façon dont vous souhaitez en être prévenu(e).</p>
        <NotificationList />
        <PreferencesForm />
      </div>
    );
  },
});
