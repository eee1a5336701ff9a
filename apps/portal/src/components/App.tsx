import { defineComponent, watchEffect } from 'vue';
import { RouterView } from 'vue-router';
import { PortalNotFoundPage, PortalUnavailablePage } from '../pages/NotFoundPages';
import { session } from '../session';
import { SiteFooter, SiteHeader, SkipLink } from './Layout';

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
