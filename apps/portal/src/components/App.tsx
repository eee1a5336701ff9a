import { defineComponent, watchEffect } from 'vue';
import { RouterView } from 'vue-router';
import { PortalNotFoundPage, PortalUnavailablePage } from '../pages/NotFoundPages';
import { session } from '../session';
import { SiteFooter, SiteHeader, SkipLink } from './Layout';

/**
 * Outside production, a discreet strip above the header says so: citizens must never mistake a
 * test portal for the real one, and staff always know which FranceConnect they are testing.
 */
export function TestEnvironmentBanner() {
  return (
    <div class="test-banner" role="note" aria-label="Environnement de test" data-testid="test-environment-banner">
      <div class="container">
        <p>
          <strong>Environnement de test</strong> : ce portail n’est pas encore en service ; la connexion avec FranceConnect utilise des identités fictives.
        </p>
      </div>
    </div>
  );
}

/** Landmarks: banner, main (#contenu, target of the skip link), contentinfo. */
export const App = defineComponent({
  name: 'App',
  setup() {
    watchEffect(() => {
      if (session.status === 'not-found') document.title = 'Portail introuvable';
      else if (session.status === 'unavailable') document.title = 'Service momentanément indisponible';
    });
    return () => {
      const ready = session.status === 'ready';
      return (
        <>
          <SkipLink />
          {ready && session.portal?.environment?.test ? <TestEnvironmentBanner /> : null}
          {ready ? (
            <SiteHeader />
          ) : (
            <header class="site-header">
              <div class="container header-inner">
                <p class="brand">Portail citoyen</p>
              </div>
            </header>
          )}
          <main id="contenu" tabindex="-1">
            <div class="container">
              {ready ? <RouterView /> : session.status === 'not-found' ? <PortalNotFoundPage /> : <PortalUnavailablePage />}
            </div>
          </main>
          <SiteFooter />
        </>
      );
    };
  },
});
