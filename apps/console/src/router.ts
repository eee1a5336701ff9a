import { nextTick } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type Router } from 'vue-router';
import { requestFocus, takeFocusRequest } from './focus';
import { isChunkLoadError, reloadForNewRelease } from './state/release';
import { canStaffWrite, isClientAdmin, isStaff, isStaffAdmin, session } from './state/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's own part of <title> (RGAA 8.6: a relevant title per page). */
    title?: string;
    /** Reachable without a session (login, invitation, password reset). */
    public?: boolean;
    /** Editor staff only. */
    staff?: boolean;
    /** Staff who may write (admins and onboarding agents). */
    staffWrite?: boolean;
    /** Staff administrators only. */
    staffAdmin?: boolean;
    /** Client administrators only. */
    clientAdmin?: boolean;
  }
}

export const CONSOLE_BASE = '/console/';
export const APP_NAME = 'Console fcplat';

/** The sections of a client's page, in tab order (path segment → label). */
export const CLIENT_SECTIONS = [
  { id: 'suivi', label: 'Parcours' },
  { id: 'identite', label: 'Identité et contacts' },
  { id: 'habilitations', label: 'Habilitations' },
  { id: 'franceconnect', label: 'FranceConnect' },
  { id: 'api-particulier', label: 'API Particulier' },
  { id: 'recette', label: 'Recette' },
  { id: 'robot', label: 'Robot de qualification' },
  { id: 'journal', label: 'Journal' },
] as const;
export type ClientSection = (typeof CLIENT_SECTIONS)[number]['id'];

/** Sections for editor staff only (the robot's evidence shows the portal as the robot saw it). */
const STAFF_SECTIONS: ReadonlySet<ClientSection> = new Set(['robot']);

/** Whether the logged-in person may open this section of a client's file. */
export function mayOpenClientSection(section: ClientSection): boolean {
  return !STAFF_SECTIONS.has(section) || isStaff();
}

export function isClientSection(value: unknown): value is ClientSection {
  return CLIENT_SECTIONS.some((s) => s.id === value);
}

/** Where a logged-in person lands: the pipeline for staff, their own client page for a client administrator. */
export function homeOf(): RouteLocationRaw {
  const me = session.me;
  if (me?.kind === 'client_admin' && me.tenantId) return { name: 'client', params: { id: me.tenantId, section: 'suivi' } };
  return { name: 'pipeline' };
}

export function pageTitle(route: RouteLocationNormalized): string {
  return route.meta.title ? `${route.meta.title} – ${APP_NAME}` : APP_NAME;
}

/** A `?retour=` value is only followed when it is a path of the console itself. */
export function safeReturnPath(value: unknown): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  return path;
}

export function createConsoleRouter(): Router {
  const router = createRouter({
    history: createWebHistory(CONSOLE_BASE),
    routes: [
      { path: '/', name: 'home', redirect: () => homeOf() },
      { path: '/connexion', name: 'login', component: () => import('./pages/auth/LoginPage'), meta: { title: 'Connexion', public: true } },
      { path: '/invitation', name: 'invitation', component: () => import('./pages/auth/InvitationPage'), meta: { title: 'Activer mon compte', public: true } },
      { path: '/mot-de-passe-oublie', name: 'forgotten-password', component: () => import('./pages/auth/ForgottenPasswordPage'), meta: { title: 'Mot de passe oublié', public: true } },
      { path: '/password-reset', name: 'password-reset', component: () => import('./pages/auth/PasswordResetPage'), meta: { title: 'Nouveau mot de passe', public: true } },
      { path: '/pipeline', name: 'pipeline', component: () => import('./pages/staff/PipelinePage'), meta: { title: 'Suivi des intégrations', staff: true } },
      { path: '/equipe', name: 'team', component: () => import('./pages/staff/TeamPage'), meta: { title: 'Équipe', staff: true, staffAdmin: true } },
      { path: '/mon-equipe', name: 'my-team', component: () => import('./pages/client/MyTeamPage'), meta: { title: 'Mon équipe', clientAdmin: true } },
      { path: '/indicateurs', name: 'analytics', component: () => import('./pages/staff/AnalyticsPage'), meta: { title: 'Indicateurs', staff: true } },
      { path: '/notifications', name: 'notifications', component: () => import('./pages/notifications/NotificationsPage'), meta: { title: 'Notifications' } },
      { path: '/files-d-attente', name: 'queues', component: () => import('./pages/staff/QueuesPage'), meta: { title: 'Files d’attente', staff: true } },
      { path: '/clients/nouveau', name: 'new-client', component: () => import('./pages/staff/NewClientPage'), meta: { title: 'Nouveau client', staff: true, staffWrite: true } },
      {
        path: '/clients/:id/:section?',
        name: 'client',
        component: () => import('./pages/client/ClientPage'),
        meta: { title: 'Dossier client' },
        beforeEnter: (to) => {
          const section = to.params['section'];
          if (section === undefined) return true;
          if (!isClientSection(section)) return { name: 'not-found', params: { pathMatch: to.path.slice(1).split('/') } };
          // A staff-only section asked by a client administrator: their file's first section.
          return mayOpenClientSection(section) ? true : { name: 'client', params: { id: to.params['id'], section: 'suivi' } };
        },
      },
      { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage'), meta: { title: 'Page introuvable', public: true } },
    ],
    scrollBehavior: (to, from) => (to.name === from.name && to.params['id'] === from.params['id'] ? false : { top: 0 }),
  });

  router.beforeEach((to) => {
    if (to.meta.public) {
      // Already logged in: the login page has nothing to offer.
      if (to.name === 'login' && session.status === 'authenticated') return homeOf();
      return true;
    }
    if (session.status !== 'authenticated') {
      return { name: 'login', query: to.fullPath !== '/' ? { retour: to.fullPath } : {} };
    }
    if (to.meta.staff && !isStaff()) return isClientAdmin() ? homeOf() : { name: 'login' };
    if (to.meta.staffWrite && !canStaffWrite()) return { name: 'pipeline' };
    if (to.meta.staffAdmin && !isStaffAdmin()) return { name: 'pipeline' };
    if (to.meta.clientAdmin && !isClientAdmin()) return isStaffAdmin() ? { name: 'team' } : homeOf();
    return true;
  });

  // A page's chunk from the previous release is gone: load that page from the new release.
  router.onError((error, to) => {
    if (isChunkLoadError(error)) reloadForNewRelease(router.resolve(to).href);
  });

  let initial = true;
  router.afterEach((to, from, failure) => {
    if (failure) return;
    document.title = pageTitle(to);
    const first = initial;
    initial = false;
    // A change of query only (filters, pagination) keeps the focus where it is.
    if (first || to.path === from.path) return;
    // Another section of the same client: its heading takes the focus when it appears (sections
    // load asynchronously); another page: its <h1>.
    const sameClient = to.name === 'client' && from.name === 'client' && to.params['id'] === from.params['id'];
    requestFocus(sameClient ? 'section' : 'page');
    void nextTick(() => {
      if (sameClient || !takeFocusRequest('page')) return;
      document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
    });
  });
  return router;
}
