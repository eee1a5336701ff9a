import { defineComponent, nextTick, ref } from 'vue';
import { RouterLink } from 'vue-router';
import type { DirectoryCandidate } from '@fcplat/contract';
import { formatSiret } from '@fcplat/domain';
import { ApiError } from '../../../api/client';
import { companyDirectory } from '../../../api/endpoints';
import { TextField } from '../../../components/fields/TextField';
import { Button } from '../../../prime/button';
import { bound } from '../../../components/fields/shared';

const addressText = (c: DirectoryCandidate): string =>
  c.address ? [c.address.street, [c.address.postalCode, c.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : 'adresse non communiquée';

/**
 * « Chercher par nom » of the new-client page: words of the organisation's name (« mairie de
 * clamart ») sent to the company directory when the staff member asks (a button, not every key
 * stroke: the directory allows 7 requests a second for the whole platform), the organisations
 * found as a list, each with a button that picks its SIRET for the form below. The count of
 * results is announced (live region); picking moves the focus to the SIRET field.
 */
export const DirectorySearch = defineComponent({
  name: 'DirectorySearch',
  emits: { pick: (candidate: DirectoryCandidate) => Boolean(candidate) },
  setup(_props, { emit }) {
    const terms = ref('');
    const error = ref<string | undefined>(undefined);
    const state = ref<'idle' | 'loading' | 'done' | 'unavailable' | 'failed'>('idle');
    const results = ref<DirectoryCandidate[]>([]);
    let abort: AbortController | null = null;

    async function search(event: Event): Promise<void> {
      event.preventDefault();
      const q = terms.value.trim();
      if (q.length < 3) {
        error.value = 'Saisissez au moins 3 caractères du nom de l’organisme.';
        await nextTick();
        document.getElementById('recherche-annuaire')?.focus();
        return;
      }
      error.value = undefined;
      abort?.abort();
      abort = new AbortController();
      state.value = 'loading';
      try {
        const answer = await companyDirectory.search(q, abort.signal);
        results.value = answer.results;
        state.value = answer.available ? 'done' : 'unavailable';
      } catch (failure) {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        results.value = [];
        if (failure instanceof ApiError && failure.problem.status === 400) {
          error.value = failure.problem.detail ?? 'Recherche invalide.';
          state.value = 'idle';
        } else state.value = 'failed';
      }
    }

    const status = (): string => {
      if (state.value === 'loading') return 'Recherche dans l’annuaire des entreprises…';
      if (state.value === 'unavailable' || state.value === 'failed') return 'L’annuaire des entreprises ne répond pas : saisissez le SIRET ci-dessous, ou réessayez dans quelques instants.';
      if (state.value !== 'done') return '';
      const n = results.value.length;
      return n === 0 ? 'Aucun organisme trouvé : essayez d’autres mots, ou saisissez le SIRET.' : n === 1 ? '1 organisme trouvé.' : `${n} organismes trouvés.`;
    };

    return () => (
      <section class="card directory-search" aria-labelledby="recherche-annuaire-titre">
        <h2 id="recherche-annuaire-titre">Chercher l’organisme par son nom</h2>
        <form role="search" aria-labelledby="recherche-annuaire-titre" novalidate onSubmit={(e: Event) => void search(e)} class="inline-search">
          <TextField
            id="recherche-annuaire"
            label="Nom, sigle ou adresse de l’organisme"
            hint="Exemple : mairie de Clamart. La recherche porte sur l’annuaire des entreprises."
            optionalMark={false}
            autocomplete="off"
            maxlength={100}
            {...bound(terms, 'value', error.value)}
          />
          <div class="actions">
            <Button type="submit" label="Chercher dans l’annuaire" severity="secondary" loading={state.value === 'loading'} />
          </div>
        </form>
        <p id="recherche-annuaire-etat" class="muted" role="status">
          {status()}
        </p>
        {results.value.length > 0 ? (
          <ul class="directory-results" aria-label="Organismes trouvés dans l’annuaire">
            {results.value.map((c) => (
              <li key={c.siret} class="directory-result">
                <div>
                  <strong>{c.name}</strong>
                  <span class="muted"> — SIRET {formatSiret(c.siret)}</span>
                  <br />
                  <span>{addressText(c)}</span>
                  {c.legalCategoryLabel ? <span class="muted"> · {c.legalCategoryLabel}</span> : null}
                  {c.existingTenant ? (
                    <p class="field-error">
                      Déjà client :{' '}
                      <RouterLink to={{ name: 'client', params: { id: c.existingTenant.id } }}>{{ default: () => c.existingTenant?.name }}</RouterLink>
                    </p>
                  ) : null}
                  {c.warnings.map((w) => (
                    <p key={w.code} class="hint">
                      {w.message}
                    </p>
                  ))}
                </div>
                <Button type="button" size="small" outlined label="Choisir" aria-label={`Choisir ${c.name}, SIRET ${formatSiret(c.siret)}`} onClick={() => emit('pick', c)} />
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    );
  },
});
