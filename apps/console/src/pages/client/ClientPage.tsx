import { formatSiret } from '@fcplat/domain';
import { computed, defineAsyncComponent, defineComponent, h, watchEffect, type Component } from 'vue';
import { RouterLink, useRoute } from 'vue-router';
import { tenants } from '../../api/endpoints';
import type { TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { APP_NAME, CLIENT_SECTIONS, isClientSection, mayOpenClientSection, type ClientSection } from '../../router';
import { isChunkLoadError, newReleaseAvailable, reloadForNewRelease } from '../../state/release';
import { reload, useResource } from '../../state/resource';
import { isClientAdmin, session } from '../../state/session';
import { EnvironmentAlerts } from './live-environment/EnvironmentAlerts';
import { EnvironmentSummary } from './live-environment/EnvironmentSummary';

/** Each section is its own chunk: opening a client loads the section shown, not all seven. */
function lazySection(loader: () => Promise<{ default: Component }>): Component {
  return defineAsyncComponent({
    loader,
    loadingComponent: defineComponent({ setup: () => () => <LoadingState label="Chargement de la section…" /> }),
    delay: 150,
    // A section's chunk from the previous release: the whole page comes again from the new one.
    onError: (error, _retry, fail) => {
      if (isChunkLoadError(error)) reloadForNewRelease(window.location.href);
      fail();
    },
    errorComponent: defineComponent({
      // After a new release, the notice at the top of the page says what to do.
      setup: () => () => (newReleaseAvailable.value ? null : <ErrorState error={null} />),
    }),
  });
}

const SECTIONS: Readonly<Record<ClientSection, Component>> = {
  suivi: lazySection(() => import('./OnboardingSection')),
  identite: lazySection(() => import('./IdentitySection')),
  habilitations: lazySection(() => import('./HabilitationsSection')),
  franceconnect: lazySection(() => import('./FranceConnectSection')),
  'api-particulier': lazySection(() => import('./ApiParticulierSection')),
  recette: lazySection(() => import('./ChecklistSection')),
  robot: lazySection(() => import('./RobotSection')),
  journal: lazySection(() => import('./JournalSection')),
};

export const TENANT_NOT_FOUND_TEXT = 'Organisme introuvable : il n’existe pas, ou il ne fait pas partie de votre espace.';

/**
 * A client's file: the tenant's name and SIRET, a link to its portal, and its sections
 * (journey, identity, habilitations, FranceConnect, API Particulier, qualification, the
 * qualification robot for staff, journal).
 * Staff see every client; a client administrator only their own (the API answers 404 for any
 * other, shown as « introuvable »).
 */
export default defineComponent({
  name: 'ClientPage',
  setup() {
    const route = useRoute();
    const id = computed(() => String(route.params['id'] ?? ''));
    const section = computed<ClientSection>(() => (isClientSection(route.params['section']) ? route.params['section'] : 'suivi'));
    const tenant = useResource<TenantView>(() => `tenant:${id.value}`, () => tenants.get(id.value));

    watchEffect(() => {
      const name = tenant()?.data?.name;
      const label = CLIENT_SECTIONS.find((s) => s.id === section.value)?.label ?? '';
      if (name) document.title = `${label} – ${name} – ${APP_NAME}`;
      else if (tenant()?.error?.status === 404) document.title = `Organisme introuvable – ${APP_NAME}`;
    });

    return () => {
      const state = tenant();
      const t = state?.data ?? null;
      const error = t ? null : (state?.error ?? null);
      const title = t ? t.name : error ? (error.status === 404 ? 'Organisme introuvable' : 'Dossier indisponible') : 'Dossier client';
      const own = t !== null && isClientAdmin() && session.me?.tenantId === t.id;
      // One <h1> element whatever the state, so that the focus put on it survives the loading.
      return (
        <div class="container">
          <div class="page-header">
            <div>
              <h1 tabindex="-1" data-testid="client-name">
                {title}
              </h1>
              {t ? (
                <p class="muted">
                  SIRET {formatSiret(t.siret)}
                  {t.status === 'suspended' ? ' · suspendu' : ''}
                </p>
              ) : null}
              {t ? <EnvironmentSummary tenantId={t.id} /> : null}
            </div>
            {t ? (
              <div class="actions">
                <a class="link-button link-button--secondary" href={`/t/${t.slug}/`} data-testid="portal-link">
                  {own ? 'Voir mon portail' : 'Voir le portail du client'}
                </a>
              </div>
            ) : null}
          </div>
          {t ? (
            <>
              <EnvironmentAlerts
                tenantId={t.id}
                franceConnectUsed={t.connexionEnabled || (t.dataRetrievalEnabled && t.dataRetrievalAtLogin)}
                apiParticulierUsed={t.dataRetrievalEnabled}
              />
              <nav class="section-nav" aria-label="Sections du dossier">
                <ul>
                  {CLIENT_SECTIONS.filter((s) => mayOpenClientSection(s.id)).map((s) => (
                    <li key={s.id}>
                      <RouterLink to={{ name: 'client', params: { id: t.id, section: s.id } }} aria-current={s.id === section.value ? 'page' : undefined}>
                        {{ default: () => s.label }}
                      </RouterLink>
                    </li>
                  ))}
                </ul>
              </nav>
              {mayOpenClientSection(section.value) ? h(SECTIONS[section.value], { key: `${t.id}-${section.value}`, tenant: t }) : null}
            </>
          ) : error ? (
            <>
              <ErrorState error={error} notFound={TENANT_NOT_FOUND_TEXT} onRetry={() => void reload(`tenant:${id.value}`)} />
              <p>
                <RouterLink to="/">{{ default: () => 'Retour à l’accueil de la console' }}</RouterLink>
              </p>
            </>
          ) : (
            <LoadingState label="Chargement du dossier…" />
          )}
        </div>
      );
    };
  },
});
