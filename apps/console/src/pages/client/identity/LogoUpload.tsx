import { computed, defineComponent, ref, type PropType } from 'vue';
import type { TenantView } from '@fcplat/contract';
import { LOGO_MAX_BYTES, LOGO_MAX_SIZE_TEXT } from '@fcplat/domain';
import { tenants } from '../../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, set } from '../../../state/resource';
import type { BaseVersion } from './base-version';

/** Whether the portal's logo is one uploaded to the platform (served by the contract's `portalLogo` route), not an outside URL. */
export function isUploadedLogo(tenant: TenantView): boolean {
  return tenant.branding.logoUrl?.startsWith(tenants.logoPathPrefix(tenant.slug)) ?? false;
}

/**
 * « Déposer un logo »: a PNG or SVG file sent as is to the platform, which tells its type by its
 * content, sanitises an SVG and serves it to the portal; the size is checked here first (the same
 * limit, from libs/domain) so that a big file is refused before it is sent. Shows the logo in
 * use, and removes an uploaded one.
 */
export const LogoUpload = defineComponent({
  name: 'LogoUpload',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true } },
  setup(props) {
    const state = useFormState('logo-probleme', '');
    const file = ref<File | null>(null);
    const input = ref<HTMLInputElement | null>(null);
    const uploaded = computed(() => isUploadedLogo(props.tenant));

    function updated(tenant: TenantView, message: string): string {
      props.base.version = tenant.version;
      set(`tenant:${tenant.id}`, tenant);
      invalidate(`audit:${tenant.id}`);
      file.value = null;
      if (input.value) input.value.value = '';
      return message;
    }

    async function send(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      const chosen = file.value;
      if (!chosen) state.errors['logo'] = 'Choisissez un fichier PNG ou SVG.';
      else if (chosen.size > LOGO_MAX_BYTES) state.errors['logo'] = `Ce fichier dépasse ${LOGO_MAX_SIZE_TEXT} : réduisez-le avant de le déposer.`;
      if (await state.focusFirstError(['logo'])) return;
      await state.run(async () => updated(await tenants.uploadLogo(props.tenant.id, chosen as File), 'Le logo est déposé : le portail l’affiche dès maintenant.'));
    }

    async function remove(): Promise<void> {
      state.clear();
      await state.run(async () => updated(await tenants.removeLogo(props.tenant.id), 'Le logo déposé est retiré du portail.'));
    }

    return () => (
      <div class="logo-upload" data-testid="logo-upload">
        <h4 id="logo-titre">Logo déposé sur la plateforme</h4>
        <StatusMessage text={state.done.value} id="logo-statut" />
        <ProblemSummary id="logo-probleme" problem={state.problem.value} fields={['logo']} title="Le logo n’a pas été déposé" />
        {uploaded.value ? (
          <p class="logo-current">
            <img src={props.tenant.branding.logoUrl} alt="Logo actuel du portail" data-testid="logo-current" />
            <Button type="button" size="small" severity="secondary" outlined label="Retirer le logo déposé" loading={state.busy.value} onClick={() => void remove()} />
          </p>
        ) : (
          <p class="muted">Aucun logo déposé{props.tenant.branding.logoUrl ? ' : le portail affiche le logo publié à l’adresse ci-dessus.' : '.'}</p>
        )}
        <form novalidate aria-labelledby="logo-titre" onSubmit={(e: Event) => void send(e)}>
          <div class="field">
            <label class="label" for="logo">
              Fichier du logo
            </label>
            <p class="hint muted" id="logo-aide">
              PNG ou SVG, {LOGO_MAX_SIZE_TEXT} au plus. Un SVG est nettoyé (scripts, liens et ressources externes retirés) avant d’être publié.
            </p>
            <input
              id="logo"
              ref={input}
              type="file"
              accept="image/png,image/svg+xml,.png,.svg"
              aria-describedby={state.errors['logo'] ? 'logo-aide logo-erreur' : 'logo-aide'}
              aria-invalid={state.errors['logo'] ? 'true' : undefined}
              onChange={(e: Event) => (file.value = (e.target as HTMLInputElement).files?.[0] ?? null)}
            />
            {state.errors['logo'] ? (
              <p class="field-error" id="logo-erreur">
                {state.errors['logo']}
              </p>
            ) : null}
          </div>
          <Button type="submit" label="Déposer le logo" loading={state.busy.value} />
        </form>
      </div>
    );
  },
});
