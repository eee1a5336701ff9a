import { computed, defineComponent, onBeforeUnmount, ref } from 'vue';
import { RouterLink, RouterView, useRoute, useRouter } from 'vue-router';
import { messageOf } from '../api/client';
import { tenants } from '../api/endpoints';
import type { TenantView, UnreadCount } from '@fcplat/contract';
import { APP_NAME } from '../router';
import { newReleaseAvailable } from '../state/release';
import { reload, useResource } from '../state/resource';
import { loadUnread, UNREAD_KEY, UNREAD_REFRESH_MS } from '../state/notifications';
import { canStaffWrite, isClientAdmin, isStaff, isStaffAdmin, logout, roleLabel, session } from '../state/session';

/** « Aller au contenu »: moves the focus to <main> (first thing the keyboard reaches). */
function SkipLink() {
  const skip = (event: MouseEvent) => {
    event.preventDefault();
    const main = document.getElementById('contenu');
    main?.focus();
    main?.scrollIntoView();
  };
  return (
    <a class="skip-link" href="#contenu" onClick={skip}>
      Aller au contenu
    </a>
  );
}

/** Role-aware navigation: staff see the pipeline; a client administrator sees their own file and portal. */
const MainNav = defineComponent({
  name: 'MainNav',
  setup() {
    const route = useRoute();
    const tenantId = computed(() => (isClientAdmin() ? (session.me?.tenantId ?? null) : null));
    const ownTenant = useResource<TenantView>(() => (tenantId.value ? `tenant:${tenantId.value}` : null), (key) => tenants.get(key.slice('tenant:'.length)));
    const current = (name: string) => (route.name === name ? 'page' : undefined);
    // The unread badge: loaded with the navigation, asked again every minute and set by the notifications page.
    const unread = useResource<UnreadCount>(() => UNREAD_KEY, loadUnread, UNREAD_REFRESH_MS);
    const timer = setInterval(() => void reload(UNREAD_KEY), UNREAD_REFRESH_MS);
    onBeforeUnmount(() => clearInterval(timer));
    return () => {
      const items = [];
      if (isStaff()) {
        items.push(
          <li key="pipeline">
            <RouterLink to={{ name: 'pipeline' }} aria-current={current('pipeline')}>
              {{ default: () => 'Suivi des intégrations' }}
            </RouterLink>
          </li>,
          <li key="analytics">
            <RouterLink to={{ name: 'analytics' }} aria-current={current('analytics')}>
              {{ default: () => 'Indicateurs' }}
            </RouterLink>
          </li>,
        );
        if (canStaffWrite()) {
          items.push(
            <li key="new">
              <RouterLink to={{ name: 'new-client' }} aria-current={current('new-client')}>
                {{ default: () => 'Nouveau client' }}
              </RouterLink>
            </li>,
          );
        }
        if (isStaffAdmin()) {
          items.push(
            <li key="team">
              <RouterLink to={{ name: 'team' }} aria-current={current('team')}>
                {{ default: () => 'Équipe' }}
              </RouterLink>
            </li>,
          );
        }
        items.push(
          <li key="queues">
            <RouterLink to={{ name: 'queues' }} aria-current={current('queues')}>
              {{ default: () => 'Files d’attente' }}
            </RouterLink>
          </li>,
        );
      } else if (tenantId.value) {
        items.push(
          <li key="own">
            <RouterLink to={{ name: 'client', params: { id: tenantId.value, section: 'suivi' } }} aria-current={route.name === 'client' ? 'page' : undefined}>
              {{ default: () => 'Mon dossier' }}
            </RouterLink>
          </li>,
        );
        items.push(
          <li key="my-team">
            <RouterLink to={{ name: 'my-team' }} aria-current={current('my-team')}>
              {{ default: () => 'Mon équipe' }}
            </RouterLink>
          </li>,
        );
        const slug = ownTenant()?.data?.slug;
        if (slug) {
          items.push(
            <li key="portal">
              <a href={`/t/${slug}/`}>Mon portail</a>
            </li>,
          );
        }
      }
      const count = unread()?.data?.unread ?? 0;
      items.push(
        <li key="notifications">
          <RouterLink to={{ name: 'notifications' }} aria-current={current('notifications')} data-testid="nav-notifications">
            {{
              default: () => [
                'Notifications',
                count > 0 ? (
                  <span class="nav-count" data-testid="unread-badge">
                    {count > 99 ? '99+' : String(count)}
                    <span class="visually-hidden"> non lue{count > 1 ? 's' : ''}</span>
                  </span>
                ) : null,
              ],
            }}
          </RouterLink>
        </li>,
      );
      return (
        <nav class="main-nav" aria-label="Navigation principale">
          <ul>{items}</ul>
        </nav>
      );
    };
  },
});

const UserMenu = defineComponent({
  name: 'UserMenu',
  setup() {
    const router = useRouter();
    const busy = ref(false);
    const error = ref<string | null>(null);
    async function signOut(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      error.value = null;
      try {
        await logout();
        await router.push({ name: 'login' });
      } catch (failure) {
        error.value = messageOf(failure);
      } finally {
        busy.value = false;
      }
    }
    return () => {
      const me = session.me;
      if (!me) return null;
      return (
        <ul class="user-menu">
          <li class="who">
            <span data-testid="connected-user">{me.displayName}</span> · {roleLabel(me)}
          </li>
          <li>
            <button type="button" class="header-button" disabled={busy.value} onClick={() => void signOut()}>
              Se déconnecter
            </button>
          </li>
          {error.value ? (
            <li role="alert" class="who">
              {error.value}
            </li>
          ) : null}
        </ul>
      );
    };
  },
});

/**
 * The console was deployed again while this tab was open and part of it could not be loaded.
 * Plain markup (no PrimeVue): it lives in the entry chunk, which stays small.
 */
function NewReleaseNotice() {
  return (
    <div class="release-notice" role="alert" data-testid="new-release">
      <p>La console a été mise à jour depuis l’ouverture de cette page. Rechargez la page pour continuer.</p>
      <button type="button" class="release-reload" onClick={() => window.location.reload()}>
        Recharger la page
      </button>
    </div>
  );
}

/** Landmarks: banner (name, navigation, who is logged in), main (#contenu), contentinfo. */
export const App = defineComponent({
  name: 'App',
  setup() {
    return () => (
      <>
        <SkipLink />
        <header class="app-header">
          <div class="header-inner">
            <RouterLink to="/" class="brand">
              {{ default: () => APP_NAME }}
            </RouterLink>
            {session.status === 'authenticated' ? <MainNav /> : null}
            {session.status === 'authenticated' ? <UserMenu /> : null}
          </div>
        </header>
        <main id="contenu" tabindex="-1">
          {session.status === 'unavailable' ? (
            <div class="container">
              <h1 tabindex="-1">Service momentanément indisponible</h1>
              <p>La console ne parvient pas à joindre le service. Réessayez dans quelques instants.</p>
              <p>
                <a href={window.location.href}>Recharger la page</a>
              </p>
            </div>
          ) : (
            <>
              {newReleaseAvailable.value ? (
                <div class="container">
                  <NewReleaseNotice />
                </div>
              ) : null}
              <RouterView />
            </>
          )}
        </main>
        <footer class="app-footer">
          <div class="container">
            <p>{APP_NAME} · intégration FranceConnect et API Particulier des organismes publics</p>
          </div>
        </footer>
      </>
    );
  },
});
