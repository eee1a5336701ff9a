import { nextTick } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from 'vue-router';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPages';
import { ProfilePage } from './pages/ProfilePage';
import { SignupConfirmPage } from './pages/SignupConfirmPage';
import { portalName, session, setFlash } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's own part of <title> (RGAA 8.6: a relevant title per page). */
    title?: string;
  }
}

/** `Erreur – Mon profil – Ville de Test` */
export function pageTitle(route: RouteLocationNormalized): string {
  const error = route.query['erreur'] !== undefined ? 'Erreur – ' : '';
  return `${error}${route.meta.title ?? 'Portail'} – ${portalName()}`;
}

/** Routes under `/t/{slug}/`: the router's base is the page's <base href>. */
export function createPortalRouter(basePath: string): Router {
  const router = createRouter({
    history: createWebHistory(basePath),
    routes: [
      { path: '/', name: 'home', component: HomePage, meta: { title: 'Connexion et inscription' } },
      {
        path: '/profil',
        name: 'profile',
        component: ProfilePage,
        meta: { title: 'Mon profil' },
        beforeEnter: () => {
          if (session.me) return true;
          setFlash('/', 'info', 'Connectez-vous pour accéder à votre profil.');
          return { path: '/' };
        },
      },
      { path: '/inscription/confirmer', name: 'signup-confirm', component: SignupConfirmPage, meta: { title: 'Activer mon compte' } },
      { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'Page introuvable' } },
    ],
    scrollBehavior: () => ({ top: 0 }),
  });

  let initial = true;
  router.afterEach((to, _from, failure) => {
    if (failure) return;
    if (session.flash && session.flash.path !== to.path) session.flash = null;
    if (session.status === 'ready') document.title = pageTitle(to);
    // After an in-app navigation, move the focus to the new page's heading for screen readers.
    if (!initial) void nextTick(() => document.querySelector<HTMLElement>('main h1')?.focus());
    initial = false;
  });
  return router;
}
