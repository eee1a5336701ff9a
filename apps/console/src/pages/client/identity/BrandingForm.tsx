import { defineComponent, reactive, type PropType } from 'vue';
import { tenants } from '../../../api/endpoints';
import type { TenantView } from '@fcplat/contract';
import { TextField } from '../../../components/fields/TextField';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, set } from '../../../state/resource';
import { colorProblem, httpsUrlProblem, readableTextOn } from '../../../validation';
import type { BaseVersion } from './base-version';
import { isUploadedLogo, LogoUpload } from './LogoUpload';
import { SaveFeedback } from './SaveFeedback';
import { bound } from '../../../components/fields/shared';

/** The citizen portal's name, logo and colours, with a preview of its header. */
export const BrandingForm = defineComponent({
  name: 'BrandingForm',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true }, onReload: { type: Function as PropType<() => void>, required: true } },
  setup(props) {
    const b = props.tenant.branding;
    // An uploaded logo is not an address to edit: the field stays empty (typing one replaces the upload).
    const form = reactive({ portalName: b.portalName ?? '', logoUrl: isUploadedLogo(props.tenant) ? '' : (b.logoUrl ?? ''), primaryColor: b.primaryColor ?? '', secondaryColor: b.secondaryColor ?? '' });
    const state = useFormState('portail-probleme');

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['branding.logoUrl'] = httpsUrlProblem(form.logoUrl.trim());
      state.errors['branding.primaryColor'] = colorProblem(form.primaryColor.trim());
      state.errors['branding.secondaryColor'] = colorProblem(form.secondaryColor.trim());
      if (await state.focusFirstError(['branding.logoUrl', 'branding.primaryColor', 'branding.secondaryColor'])) return;
      const value = (text: string) => (text.trim() === '' ? null : text.trim());
      await state.run(async () => {
        const updated = await tenants.patch(props.tenant.id, {
          version: props.base.version,
          branding: {
            portalName: value(form.portalName),
            // Left empty while a logo is uploaded: the upload stays.
            ...(isUploadedLogo(props.tenant) && value(form.logoUrl) === null ? {} : { logoUrl: value(form.logoUrl) }),
            primaryColor: value(form.primaryColor)?.toLowerCase() ?? null,
            secondaryColor: value(form.secondaryColor)?.toLowerCase() ?? null,
          },
        });
        props.base.version = updated.version;
        set(`tenant:${updated.id}`, updated);
        invalidate(`audit:${updated.id}`);
        return 'L’apparence du portail est enregistrée : elle s’applique dès maintenant.';
      });
    }

    return () => {
      const primary = colorProblem(form.primaryColor) || !form.primaryColor ? null : form.primaryColor;
      const secondary = colorProblem(form.secondaryColor) || !form.secondaryColor ? null : form.secondaryColor;
      const preview = {
        background: primary ?? '#ffffff',
        color: primary ? readableTextOn(primary) : '#1f2937',
        borderBottom: `4px solid ${secondary ?? '#d1d5db'}`,
        padding: '0.75rem 1rem',
        borderRadius: '6px 6px 0 0',
        fontWeight: '700',
      };
      return (
        <section class="card" aria-labelledby="identite-portail">
          <h3 id="identite-portail">Portail des usagers</h3>
          <p>
            Adresse du portail :{' '}
            <a href={`/t/${props.tenant.slug}/`} data-testid="portal-address">
              {`${window.location.origin}/t/${props.tenant.slug}/`}
            </a>
          </p>
          <SaveFeedback prefix="portail" title="L’apparence du portail n’a pas été enregistrée" state={state} onReload={() => props.onReload()} />
          <form novalidate onSubmit={(e: Event) => void save(e)}>
            <div class="grid-2">
              <TextField
                id="branding-portalName"
                label="Nom affiché sur le portail"
                hint={`Par défaut : ${props.tenant.name}.`}
                maxlength={100}
                {...bound(form, 'portalName', state.errors['branding.portalName'])}
              />
              <TextField
                id="branding-logoUrl"
                label="Adresse du logo"
                type="url"
                hint="Une image publiée en https://, affichée dans l’en-tête du portail ; ou déposez le fichier du logo ci-dessous."
                maxlength={2048}
                {...bound(form, 'logoUrl', state.errors['branding.logoUrl'])}
              />
              <TextField
                id="branding-primaryColor"
                label="Couleur principale"
                hint="Fond de l’en-tête, au format #rrggbb ; le texte passe en noir ou en blanc pour rester lisible."
                maxlength={7}
                {...bound(form, 'primaryColor', state.errors['branding.primaryColor'])}
              />
              <TextField
                id="branding-secondaryColor"
                label="Couleur secondaire"
                hint="Liseré sous l’en-tête, au format #rrggbb."
                maxlength={7}
                {...bound(form, 'secondaryColor', state.errors['branding.secondaryColor'])}
              />
            </div>
            <p class="label">Aperçu de l’en-tête</p>
            <div style={preview} data-testid="branding-preview" aria-hidden="true">
              {form.portalName.trim() || props.tenant.name}
            </div>
            <div class="actions" style={{ marginTop: '1rem' }}>
              <Button type="submit" label="Enregistrer l’apparence du portail" loading={state.busy.value} />
            </div>
          </form>
          <LogoUpload tenant={props.tenant} base={props.base} />
        </section>
      );
    };
  },
});
