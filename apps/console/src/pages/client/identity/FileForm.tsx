import { computed, defineComponent, reactive, type PropType } from 'vue';
import { tenants, type TenantPatch } from '../../../api/endpoints';
import type { Contact, TenantView } from '@fcplat/contract';
import { CheckboxField } from '../../../components/fields/CheckboxField';
import { TextField } from '../../../components/fields/TextField';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, set } from '../../../state/resource';
import { canStaffWrite } from '../../../state/session';
import { emailProblem } from '../../../validation';
import { CONTACTS, contactOf } from './contacts';
import type { BaseVersion } from './base-version';
import { SaveFeedback } from './SaveFeedback';
import { bound } from '../../../components/fields/shared';

/** Name, usages and contacts. A client administrator edits the contacts and data retrieval only. */
export const FileForm = defineComponent({
  name: 'FileForm',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true }, onReload: { type: Function as PropType<() => void>, required: true } },
  setup(props) {
    const t = props.tenant;
    const contactForm = (c: Contact | null | undefined) => ({ name: c?.name ?? '', email: c?.email ?? '', phone: c?.phone ?? '' });
    const form = reactive({
      name: t.name,
      connexionEnabled: t.connexionEnabled,
      dataRetrievalEnabled: t.dataRetrievalEnabled,
      dataRetrievalAtLogin: t.dataRetrievalAtLogin,
      technicalContact: contactForm(t.technicalContact),
      administrativeContact: contactForm(t.administrativeContact),
    });
    const state = useFormState('fiche-probleme');
    const staff = computed(() => canStaffWrite());

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      if (staff.value && form.name.trim() === '') state.errors['name'] = 'Indiquez le nom de l’organisme.';
      for (const { key } of CONTACTS) {
        const contact = contactOf(form[key]);
        if (!contact) continue;
        if (!contact.name) state.errors[`${key}.name`] = 'Indiquez le nom du contact (ou videz les trois champs).';
        state.errors[`${key}.email`] = emailProblem(contact.email);
      }
      if (await state.focusFirstError(['name', 'technicalContact.name', 'technicalContact.email', 'administrativeContact.name', 'administrativeContact.email'])) return;
      const patch: TenantPatch = {
        version: props.base.version,
        technicalContact: contactOf(form.technicalContact),
        administrativeContact: contactOf(form.administrativeContact),
        dataRetrievalEnabled: form.dataRetrievalEnabled,
        // Retrieval at login goes off with data retrieval (the API does the same).
        dataRetrievalAtLogin: form.dataRetrievalEnabled && form.dataRetrievalAtLogin,
        ...(staff.value ? { name: form.name.trim(), connexionEnabled: form.connexionEnabled } : {}),
      };
      await state.run(async () => {
        const updated = await tenants.patch(props.tenant.id, patch);
        props.base.version = updated.version;
        set(`tenant:${updated.id}`, updated);
        invalidate(`case:${updated.id}`, `checklist:${updated.id}`, `audit:${updated.id}`, 'cases:');
        return 'La fiche est enregistrée.';
      });
    }

    return () => (
      <section class="card" aria-labelledby="identite-fiche">
        <h3 id="identite-fiche">Fiche et contacts</h3>
        <SaveFeedback prefix="fiche" title="La fiche n’a pas été enregistrée" state={state} onReload={() => props.onReload()} />
        <form novalidate onSubmit={(e: Event) => void save(e)}>
          {staff.value ? (
            <TextField id="name" label="Nom de l’organisme" required maxlength={300} {...bound(form, 'name', state.errors['name'])} />
          ) : null}
          <fieldset class="group">
            <legend>Usages</legend>
            <CheckboxField
              id="connexionEnabled"
              label="Connexion des usagers avec FranceConnect"
              disabled={!staff.value}
              hint={staff.value ? undefined : '(modifiable par votre éditeur)'}
              {...bound(form, 'connexionEnabled')}
            />
            <CheckboxField id="dataRetrievalEnabled" label="Récupération de données avec API Particulier" {...bound(form, 'dataRetrievalEnabled')} />
            <CheckboxField
              id="dataRetrievalAtLogin"
              label="Récupérer les données dès la connexion avec FranceConnect"
              disabled={!form.dataRetrievalEnabled}
              hint="L’usager donne son accord sur FranceConnect en se connectant ; ses données s’affichent sur son profil, sans autre action."
              modelValue={form.dataRetrievalEnabled && form.dataRetrievalAtLogin}
              onUpdate={(v) => (form.dataRetrievalAtLogin = v)}
            />
          </fieldset>
          <div class="grid-2">
            {CONTACTS.map(({ key, label, hint }) => (
              <fieldset class="group" key={key}>
                <legend>{label}</legend>
                <p class="hint">{hint}</p>
                <TextField id={`${key}-name`} label="Nom" autocomplete="name" maxlength={200} {...bound(form[key], 'name', state.errors[`${key}.name`])} />
                <TextField
                  id={`${key}-email`}
                  label="Adresse e-mail"
                  type="email"
                  autocomplete="email"
                  maxlength={254}
                  {...bound(form[key], 'email', state.errors[`${key}.email`])}
                />
                <TextField id={`${key}-phone`} label="Téléphone" type="tel" autocomplete="tel" maxlength={25} {...bound(form[key], 'phone', state.errors[`${key}.phone`])} />
              </fieldset>
            ))}
          </div>
          <div class="actions">
            <Button type="submit" label="Enregistrer la fiche" loading={state.busy.value} />
          </div>
        </form>
      </section>
    );
  },
});
