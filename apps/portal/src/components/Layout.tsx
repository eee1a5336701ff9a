import { computed, defineComponent, ref } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { portalNoticeMessage } from '@fcplat/domain';
import { ApiError, fallbackMessage } from '../api';
import { headerStyle } from '../branding';
import { displayName } from '../format';
import { api, navigateAway, portalName, session, setFlash } from '../session';
import { currentTheme, toggleTheme } from '../theme';

/** « Aller au contenu »: focuses <main> (a plain #fragment would leave the page, because of <base>). */
export function SkipLink() {
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

export const ThemeToggle = defineComponent({
  name: 'ThemeToggle',
  setup() {
    return () => (
      <button type="button" class="header-button theme-toggle" aria-pressed={currentTheme.value === 'dark' ? 'true' : 'false'} onClick={toggleTheme}>
        Thème sombre
      </button>
    );
  },
});

/** Header: the tenant's name, logo and colours; who is logged in, « Mon profil », « Se déconnecter » (FC-14). */
export const SiteHeader = defineComponent({
  name: 'SiteHeader',
  setup() {
    const router = useRouter();
    const logoFailed = ref(false);
    const busy = ref(false);
    const branding = computed(() => session.portal?.branding ?? {});

    async function logout(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      try {
        const { redirect } = await api().logout();
        session.me = null;
        // FC-09: the API ends the FranceConnect session by sending the browser to its end_session.
        if (redirect) {
          navigateAway(redirect);
          return;
        }
        setFlash('/', 'success', 'Vous êtes déconnecté(e).');
        await router.push('/');
      } catch (error) {
        const status = error instanceof ApiError ? error.status : 0;
        setFlash(router.currentRoute.value.path, 'error', error instanceof ApiError && error.problem.detail ? error.problem.detail : fallbackMessage(status));
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const me = session.me;
      const logoUrl = branding.value.logoUrl;
      return (
        <header class="site-header" style={headerStyle(branding.value.primaryColor, branding.value.secondaryColor)}>
          <div class="container header-inner">
            <RouterLink to="/" class="brand">
              {{
                default: () => [
                  logoUrl && !logoFailed.value ? <img src={logoUrl} alt="" referrerpolicy="no-referrer" onError={() => (logoFailed.value = true)} /> : null,
                  <span>{portalName()}</span>,
                ],
              }}
            </RouterLink>
            <div class="header-tools">
              {me ? (
                <p class="who">
                  Connecté(e) en tant que <strong data-testid="connected-name">{displayName(me)}</strong>
                </p>
              ) : null}
              {me ? (
                <nav class="account-nav" aria-label="Mon compte">
                  <ul>
                    <li>
                      <RouterLink to="/profil">{{ default: () => 'Mon profil' }}</RouterLink>
                    </li>
                    <li>
                      <button type="button" class="header-button" disabled={busy.value} onClick={logout}>
                        Se déconnecter
                      </button>
                    </li>
                  </ul>
                </nav>
              ) : null}
              <ThemeToggle />
            </div>
          </div>
        </header>
      );
    };
  },
});

export function SiteFooter() {
  return (
    <footer class="site-footer">
      <div class="container">
        <p>{portalName()} · services en ligne</p>
      </div>
    </footer>
  );
}

/** The one-page message (success, information, error) for the current route. */
export const FlashMessage = defineComponent({
  name: 'FlashMessage',
  setup() {
    const route = useRoute();
    return () => {
      const flash = session.flash && session.flash.path === route.path ? session.flash : null;
      return (
        <>
          <div role="status" class="status-region">
            {flash && flash.kind !== 'error' ? (
              <div class={['alert', flash.kind === 'success' ? 'alert--success' : null]}>
                <p>{flash.text}</p>
              </div>
            ) : null}
          </div>
          {flash && flash.kind === 'error' ? (
            <div class="alert alert--error" role="alert">
              <p>{flash.text}</p>
            </div>
          ) : null}
        </>
      );
    };
  },
});

function firstValue(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : null;
}

/**
 * The error sent back by the API's FranceConnect routes: `?erreur=<code>`. Only the portal's own
 * sentences are shown (PORTAL_NOTICES, a generic one for an unknown code); any other parameter
 * of the address (an old `message=`, or a forged one) is ignored, so nobody can make the portal
 * display a sentence of their choosing.
 */
export function queryError(query: Record<string, unknown>): string | null {
  const code = firstValue(query['erreur']);
  if (!code) return null;
  return portalNoticeMessage(code);
}

export const QueryErrorAlert = defineComponent({
  name: 'QueryErrorAlert',
  setup() {
    const route = useRoute();
    return () => {
      const message = queryError(route.query);
      return message ? (
        <div class="alert alert--error" role="alert" id="erreur-franceconnect">
          <p class="alert-title">La demande n’a pas abouti</p>
          <p>{message}</p>
        </div>
      ) : null;
    };
  },
});
