import { defineComponent } from 'vue';
import { RouterLink } from 'vue-router';

/** A route that does not exist in a portal that does. */
export const NotFoundPage = defineComponent({
  name: 'NotFoundPage',
  setup() {
    return () => (
      <>
        <h1 tabindex="-1">Page introuvable</h1>
        <p>La page que vous cherchez n’existe pas ou a été déplacée.</p>
        <p>
          <RouterLink to="/">{{ default: () => 'Retour à l’accueil du portail' }}</RouterLink>
        </p>
      </>
    );
  },
});

/** No tenant behind this address (the API answered 404). */
export function PortalNotFoundPage() {
  return (
    <>
      <h1 tabindex="-1">Portail introuvable</h1>
      <p>Aucun portail de services en ligne ne correspond à cette adresse.</p>
      <p>Vérifiez l’adresse saisie, ou retrouvez le lien sur le site de votre commune ou de l’organisme concerné.</p>
    </>
  );
}

/** The portal could not be loaded (API unreachable or failing). */
export function PortalUnavailablePage() {
  return (
    <>
      <h1 tabindex="-1">Service momentanément indisponible</h1>
      <p>Le portail ne peut pas être affiché pour le moment. Réessayez dans quelques instants.</p>
    </>
  );
}
