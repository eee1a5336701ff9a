import { defineComponent } from 'vue';
import { credentials } from '../../../api/endpoints';
import type { FranceConnectUris } from '@fcplat/contract';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { reload, useResource } from '../../../state/resource';

/** The two URLs to declare in FranceConnect's partner space, each with a copy button. */
export const DeclaredUris = defineComponent({
  name: 'DeclaredUris',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const key = () => `fc-uris:${props.tenantId}`;
    const uris = useResource<FranceConnectUris>(key, () => credentials.franceConnectUris(props.tenantId), 10 * 60_000);
    return () => {
      const state = uris();
      return (
        <section class="card" aria-labelledby="fc-uris-titre">
          <h3 id="fc-uris-titre">Adresses à déclarer dans l’espace partenaires de FranceConnect</h3>
          <p>Déclarez ces deux adresses, exactement, pour chaque environnement (bac à sable, intégration, production) du fournisseur de service.</p>
          {state?.data ? (
            <>
              <p class="label" id="uri-redirection-libelle">
                URL de redirection de connexion
              </p>
              <div class="copy-row">
                <span class="code" id="uri-redirection" data-testid="redirect-uri">
                  {state.data.redirectUri}
                </span>
                <CopyButton value={state.data.redirectUri} label="Copier l’URL de redirection de connexion" id="copier-uri-redirection" />
              </div>
              <p class="label" id="uri-deconnexion-libelle">
                URL de redirection de déconnexion
              </p>
              <div class="copy-row">
                <span class="code" id="uri-deconnexion" data-testid="post-logout-uri">
                  {state.data.postLogoutRedirectUri}
                </span>
                <CopyButton value={state.data.postLogoutRedirectUri} label="Copier l’URL de redirection de déconnexion" id="copier-uri-deconnexion" />
              </div>
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});
