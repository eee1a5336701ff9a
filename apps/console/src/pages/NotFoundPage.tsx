import { defineComponent } from 'vue';
import { RouterLink } from 'vue-router';

export default defineComponent({
  name: 'NotFoundPage',
  setup() {
    return () => (
      <div class="container">
        <h1 tabindex="-1">Page introuvable</h1>
        <p>L’adresse demandée ne correspond à aucune page de la console.</p>
        <p>
          <RouterLink to="/">{{ default: () => 'Retour à l’accueil de la console' }}</RouterLink>
        </p>
      </div>
    );
  },
});
