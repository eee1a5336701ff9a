import { computed, defineComponent, nextTick, reactive, ref, watch } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { companyDirectory, tenants } from '../../api/endpoints';
import type { DirectoryCandidate, DirectoryPreview, TenantView } from '@fcplat/contract';
import { ProblemSummary } from '../../components/Feedback';
import { CheckboxField } from '../../components/fields/CheckboxField';
import { TextField } from '../../components/fields/TextField';
import { Button } from '../../prime/button';
import { siretFeedback } from '../../siret-check';
import { invalidate, set } from '../../state/resource';
import { CreatedClient } from './new-client/CreatedClient';
import { DirectoryPreviewBlock } from './new-client/DirectoryPreviewBlock';
import { DirectorySearch } from './new-client/DirectorySearch';
import { bound } from '../../components/fields/shared';

/**
 * A new client from its SIRET (typed, or picked from a search of the company directory by name):
 * checked as it is typed (the pure check of @fcplat/domain), then
 * created by the API, which fills the name, address and legal category from the company
 * directory and returns its warnings (not a public body, closed establishment…).
 */
export default defineComponent({
  name: 'NewClientPage',
  setup() {
    const form = reactive({ siret: '', name: '', connexion: true, dataRetrieval: false });
    const siretTouched = ref(false);
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const busy = ref(false);
    const created = ref<TenantView | null>(null);

    const feedback = computed(() => siretFeedback(form.siret, siretTouched.value));

    // The directory's answer for a valid SIRET, before anything is created.
    const preview = ref<DirectoryPreview | null>(null);
    const previewState = ref<'idle' | 'loading' | 'failed'>('idle');
    let previewAbort: AbortController | null = null;
    watch(
      () => (feedback.value.kind === 'valid' ? feedback.value.siret : null),
      async (siret) => {
        previewAbort?.abort();
        preview.value = null;
        if (!siret) {
          previewState.value = 'idle';
          return;
        }
        previewAbort = new AbortController();
        previewState.value = 'loading';
        try {
          preview.value = await companyDirectory.preview(siret, previewAbort.signal);
          previewState.value = 'idle';
        } catch (error) {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          previewState.value = 'failed';
        }
      },
    );

    function onSiret(value: string): void {
      form.siret = value;
      errors['siret'] = undefined;
      // A complete or malformed value is judged at once; a short one only on blur.
      if (value.length >= 14) siretTouched.value = true;
      if (value === '') siretTouched.value = false;
    }

    /** A search result picked: its SIRET goes in the field (the preview follows), the name stays the directory's unless typed. */
    async function pick(candidate: DirectoryCandidate): Promise<void> {
      onSiret(candidate.siret);
      siretTouched.value = true;
      await nextTick();
      document.getElementById('siret')?.focus();
    }

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      siretTouched.value = true;
      errors['usages'] = !form.connexion && !form.dataRetrieval ? 'Choisissez au moins un usage.' : undefined;
      if (feedback.value.kind !== 'valid' || errors['usages']) {
        await nextTick();
        document.getElementById(feedback.value.kind !== 'valid' ? 'siret' : 'usage-connexion')?.focus();
        return;
      }
      busy.value = true;
      try {
        const tenant = await tenants.create({
          siret: form.siret,
          ...(form.name.trim() ? { name: form.name.trim() } : {}),
          connexionEnabled: form.connexion,
          dataRetrievalEnabled: form.dataRetrieval,
        });
        set(`tenant:${tenant.id}`, tenant);
        invalidate('pipeline', 'cases:');
        created.value = tenant;
        await nextTick();
        document.getElementById('client-cree-titre')?.focus();
      } catch (error) {
        problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
        await nextTick();
        document.getElementById('nouveau-client-probleme')?.focus();
      } finally {
        busy.value = false;
      }
    }

    function another(): void {
      created.value = null;
      Object.assign(form, { siret: '', name: '', connexion: true, dataRetrieval: false });
      siretTouched.value = false;
      void nextTick(() => document.getElementById('siret')?.focus());
    }

    return () => {
      const fb = feedback.value;
      const siretError = errors['siret'] ?? (fb.kind === 'invalid' ? fb.text : undefined);
      return (
        <div class="container">
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Nouveau client</h1>
              <p class="muted">
                Cherchez l’organisme par son nom ou saisissez son SIRET : son nom, son adresse et sa catégorie juridique sont repris de l’annuaire des entreprises.
              </p>
            </div>
          </div>
          {created.value ? (
            <CreatedClient tenant={created.value} onAnother={another} />
          ) : (
            <DirectorySearch onPick={(c: DirectoryCandidate) => void pick(c)} />
          )}
          {created.value ? null : (
            <form class="card" novalidate onSubmit={(e: Event) => void submit(e)} aria-labelledby="nouveau-client-titre">
              <h2 id="nouveau-client-titre">Organisme</h2>
              <ProblemSummary id="nouveau-client-probleme" problem={problem.value} fields={['siret', 'name']} title="Le client n’a pas été créé" />
              <div onFocusout={() => (siretTouched.value = form.siret !== '')}>
                <TextField
                  id="siret"
                  label="SIRET de l’établissement"
                  hint="14 chiffres, sans espace (exemple : 21920023500014)."
                  required
                  inputmode="numeric"
                  autocomplete="off"
                  maxlength={20}
                  modelValue={form.siret}
                  onUpdate={onSiret}
                  error={siretError}
                  describedBy="siret-verification"
                />
              </div>
              <p id="siret-verification" class={fb.kind === 'valid' ? 'field-ok' : 'hint'} aria-live="polite">
                {fb.kind === 'valid' ? fb.text : fb.kind === 'typing' ? fb.text : ''}
              </p>
              <DirectoryPreviewBlock preview={preview.value} state={previewState.value} />
              {fb.kind === 'invalid' && fb.suggestion ? (
                <p>
                  <Button type="button" size="small" severity="secondary" outlined label={`Utiliser ${fb.suggestion}`} onClick={() => onSiret(fb.suggestion ?? '')} />
                </p>
              ) : null}
              <TextField
                id="name"
                label="Nom"
                hint={preview.value?.name ? `Laissez vide pour reprendre « ${preview.value.name} ».` : 'Laissez vide pour reprendre le nom de l’annuaire des entreprises.'}
                {...bound(form, 'name')}
                maxlength={300}
                error={errors['name']}
              />
              <fieldset class="group" aria-describedby={errors['usages'] ? 'usages-erreur' : undefined}>
                <legend>Usages de FranceConnect</legend>
                {errors['usages'] ? (
                  <p class="field-error" id="usages-erreur">
                    {errors['usages']}
                  </p>
                ) : null}
                <CheckboxField id="usage-connexion" label="Connexion des usagers avec FranceConnect" {...bound(form, 'connexion')} />
                <CheckboxField
                  id="usage-donnees"
                  label="Récupération de données avec API Particulier"
                  {...bound(form, 'dataRetrieval')}
                />
              </fieldset>
              <div class="actions">
                <Button type="submit" label="Créer le client" loading={busy.value} />
                <RouterLink to={{ name: 'pipeline' }}>{{ default: () => 'Annuler' }}</RouterLink>
              </div>
            </form>
          )}
        </div>
      );
    };
  },
});
