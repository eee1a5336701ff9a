import { defineComponent } from 'vue';
import { credentials } from '../../../api/endpoints';
import type { FranceConnectUris } from '@fcplat/contract';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { reload, useResource } from '../../../state/resource';

/** One address to declare: its label, the address, a button that copies it. */
function CopyableUri(props: { id: string; label: string; testId: string; value: string }) {
  return (
    <>
      <p class="label" id={`${props.id}-libelle`}>
        {props.label}
      </p>
      <div class="copy-row">
        <span class="code" id={props.id} data-testid={props.testId}>
          {props.value}
        </span>
        <CopyButton value={props.value} label={`Copier l’${props.label}`} id={`copier-${props.id}`} />
      </div>
    </>
  );
}

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
              <CopyableUri id="uri-redirection" label="URL de redirection de connexion" testId="redirect-uri" value={state.data.redirectUri} />
              <CopyableUri id="uri-deconnexion" label="URL de redirection de déconnexion" testId="post-logout-uri" value={state.data.postLogoutRedirectUri} />
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
