import { PUBLIC_BODY_KIND_LABELS, formatSiret } from '@fcplat/domain';
import { computed, defineComponent, reactive, type PropType } from 'vue';
import { accounts, tenants, type TenantPatch } from '../../api/endpoints';
import type { Contact, Page, TenantView, UserView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { CheckboxField } from '../../components/fields/CheckboxField';
import { TextField } from '../../components/fields/TextField';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { useFormState } from '../../state/form';
import { invalidate, reload, set, useResource } from '../../state/resource';
import { canStaffWrite, isClientAdmin } from '../../state/session';
import { colorProblem, emailProblem, httpsUrlProblem, readableTextOn } from '../../validation';
import { SectionTitle } from '../../components/SectionTitle';

type ContactKey = 'technicalContact' | 'administrativeContact';

const CONTACTS: readonly { key: ContactKey; label: string; hint: string }[] = [
  { key: 'technicalContact', label: 'Contact technique', hint: 'Reçoit les informations techniques (identifiants, incidents).' },
  { key: 'administrativeContact', label: 'Contact administratif', hint: 'Signe les demandes d’habilitation et suit le projet.' },
];

function contactOf(form: { name: string; email: string; phone: string }): Contact | null {
  const name = form.name.trim();
  const email = form.email.trim();
  const phone = form.phone.trim();
  if (!name && !email && !phone) return null;
  return { name, email, ...(phone ? { phone } : {}) };
}

/**
 * The version of the tenant the section's forms were filled from. Both forms send it (the API
 * refuses a change made on stale data with 409) and move it forward after their own saves, so
 * saving one form does not make the other one stale; a change made elsewhere still does.
 */
export interface BaseVersion {
  version: number;
  /** Bumped by « Recharger la fiche »: the forms are filled again from the reloaded tenant. */
  generation: number;
}

/** What the company directory says about the body (read-only), and a new lookup for staff. */
const DirectoryFacts = defineComponent({
  name: 'DirectoryFacts',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true } },
  setup(props) {
    const state = useFormState('annuaire-probleme');
    async function refresh(): Promise<void> {
      await state.run(async () => {
        const updated = await tenants.refreshDirectory(props.tenant.id);
        set(`tenant:${updated.id}`, updated);
        // The name may come from the directory: the forms are filled again from the new tenant.
        props.base.version = updated.version;
        props.base.generation += 1;
        invalidate(`audit:${updated.id}`);
        return 'Les informations de l’annuaire des entreprises ont été relues.';
      });
    }
    return () => {
      const t = props.tenant;
      const address = t.address ? [t.address.street, [t.address.postalCode, t.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
      return (
        <section class="card" aria-labelledby="identite-annuaire">
          <h3 id="identite-annuaire">Identité de l’organisme</h3>
          <dl class="definition-list">
            <dt>SIRET</dt>
            <dd>{formatSiret(t.siret)}</dd>
            <dt>Adresse</dt>
            <dd>{address ?? <span class="muted">non communiquée</span>}</dd>
            <dt>Catégorie juridique</dt>
            <dd>{t.legalCategory ? `${t.legalCategory.code} – ${t.legalCategory.label} (${PUBLIC_BODY_KIND_LABELS[t.legalCategory.kind]})` : <span class="muted">non communiquée</span>}</dd>
            <dt>Annuaire consulté</dt>
            <dd>{t.directoryCheckedAt ? formatDateTime(t.directoryCheckedAt) : <span class="muted">jamais</span>}</dd>
          </dl>
          {t.directoryWarnings.length > 0 ? (
            <div class="problem" data-testid="directory-warnings">
              <Message severity="warn" closable={false}>
                {{
                  default: () => (
                    <ul>
                      {t.directoryWarnings.map((w) => (
                        <li key={w.code}>{w.message}</li>
                      ))}
                    </ul>
                  ),
                }}
              </Message>
            </div>
          ) : null}
          {canStaffWrite() ? (
            <>
              <StatusMessage text={state.done.value} />
              <ProblemSummary id="annuaire-probleme" problem={state.problem.value} title="L’annuaire n’a pas pu être consulté" />
              <Button type="button" label="Interroger à nouveau l’annuaire" severity="secondary" outlined loading={state.busy.value} onClick={() => void refresh()} />
            </>
          ) : null}
        </section>
      );
    };
  },
});

/** Name, usages and contacts. A client administrator edits the contacts and data retrieval only. */
const FileForm = defineComponent({
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
        <StatusMessage text={state.done.value} id="fiche-statut" />
        <ProblemSummary id="fiche-probleme" problem={state.problem.value} fields={Object.keys(state.errors)} title="La fiche n’a pas été enregistrée" />
        {state.problem.value?.status === 409 ? (
          <p>
            <Button type="button" label="Recharger la fiche" severity="secondary" size="small" onClick={() => props.onReload()} />
          </p>
        ) : null}
        <form novalidate onSubmit={(e: Event) => void save(e)}>
          {staff.value ? (
            <TextField id="name" label="Nom de l’organisme" required maxlength={300} modelValue={form.name} onUpdate={(v) => (form.name = v)} error={state.errors['name']} />
          ) : null}
          <fieldset class="group">
            <legend>Usages</legend>
            <CheckboxField
              id="connexionEnabled"
              label="Connexion des usagers avec FranceConnect"
              disabled={!staff.value}
              hint={staff.value ? undefined : '(modifiable par votre éditeur)'}
              modelValue={form.connexionEnabled}
              onUpdate={(v) => (form.connexionEnabled = v)}
            />
            <CheckboxField id="dataRetrievalEnabled" label="Récupération de données avec API Particulier" modelValue={form.dataRetrievalEnabled} onUpdate={(v) => (form.dataRetrievalEnabled = v)} />
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
                <TextField id={`${key}-name`} label="Nom" autocomplete="name" maxlength={200} modelValue={form[key].name} onUpdate={(v) => (form[key].name = v)} error={state.errors[`${key}.name`]} />
                <TextField
                  id={`${key}-email`}
                  label="Adresse e-mail"
                  type="email"
                  autocomplete="email"
                  maxlength={254}
                  modelValue={form[key].email}
                  onUpdate={(v) => (form[key].email = v)}
                  error={state.errors[`${key}.email`]}
                />
                <TextField id={`${key}-phone`} label="Téléphone" type="tel" autocomplete="tel" maxlength={25} modelValue={form[key].phone} onUpdate={(v) => (form[key].phone = v)} error={state.errors[`${key}.phone`]} />
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

/** The citizen portal's name, logo and colours, with a preview of its header. */
const BrandingForm = defineComponent({
  name: 'BrandingForm',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, base: { type: Object as PropType<BaseVersion>, required: true }, onReload: { type: Function as PropType<() => void>, required: true } },
  setup(props) {
    const b = props.tenant.branding;
    const form = reactive({ portalName: b.portalName ?? '', logoUrl: b.logoUrl ?? '', primaryColor: b.primaryColor ?? '', secondaryColor: b.secondaryColor ?? '' });
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
            logoUrl: value(form.logoUrl),
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
          <StatusMessage text={state.done.value} id="portail-statut" />
          <ProblemSummary id="portail-probleme" problem={state.problem.value} fields={Object.keys(state.errors)} title="L’apparence du portail n’a pas été enregistrée" />
          {state.problem.value?.status === 409 ? (
            <p>
              <Button type="button" label="Recharger la fiche" severity="secondary" size="small" onClick={() => props.onReload()} />
            </p>
          ) : null}
          <form novalidate onSubmit={(e: Event) => void save(e)}>
            <div class="grid-2">
              <TextField
                id="branding-portalName"
                label="Nom affiché sur le portail"
                hint={`Par défaut : ${props.tenant.name}.`}
                maxlength={100}
                modelValue={form.portalName}
                onUpdate={(v) => (form.portalName = v)}
                error={state.errors['branding.portalName']}
              />
              <TextField
                id="branding-logoUrl"
                label="Adresse du logo"
                type="url"
                hint="Une image publiée en https://, affichée dans l’en-tête du portail."
                maxlength={2048}
                modelValue={form.logoUrl}
                onUpdate={(v) => (form.logoUrl = v)}
                error={state.errors['branding.logoUrl']}
              />
              <TextField
                id="branding-primaryColor"
                label="Couleur principale"
                hint="Fond de l’en-tête, au format #rrggbb ; le texte passe en noir ou en blanc pour rester lisible."
                maxlength={7}
                modelValue={form.primaryColor}
                onUpdate={(v) => (form.primaryColor = v)}
                error={state.errors['branding.primaryColor']}
              />
              <TextField
                id="branding-secondaryColor"
                label="Couleur secondaire"
                hint="Liseré sous l’en-tête, au format #rrggbb."
                maxlength={7}
                modelValue={form.secondaryColor}
                onUpdate={(v) => (form.secondaryColor = v)}
                error={state.errors['branding.secondaryColor']}
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
        </section>
      );
    };
  },
});

/** The tenant's client administrators; staff invite new ones by e-mail. */
const TenantAdmins = defineComponent({
  name: 'TenantAdmins',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `tenant-admins:${props.tenant.id}`;
    const admins = useResource<Page<UserView>>(key, () => accounts.tenantAdmins(props.tenant.id));
    const form = reactive({ email: '', displayName: '' });
    const state = useFormState('invitation-probleme');

    async function invite(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['displayName'] = form.displayName.trim() === '' ? 'Indiquez le nom de la personne.' : undefined;
      state.errors['email'] = emailProblem(form.email);
      if (await state.focusFirstError(['displayName', 'email'])) return;
      await state.run(async () => {
        const result = await accounts.inviteTenantAdmin(props.tenant.id, { email: form.email.trim(), displayName: form.displayName.trim() });
        Object.assign(form, { email: '', displayName: '' });
        void reload(key());
        invalidate(`audit:${props.tenant.id}`);
        return result.invitation.sent
          ? `Invitation envoyée à ${result.user.email} (lien valable jusqu’au ${formatDateTime(result.invitation.expiresAt)}).`
          : `Le compte de ${result.user.email} est créé mais l’e-mail n’a pas pu partir : renvoyez l’invitation plus tard.`;
      });
    }

    const STATUS: Readonly<Record<string, string>> = { invited: 'invitation en attente', active: 'actif', disabled: 'désactivé' };

    return () => {
      const list = admins();
      return (
        <section class="card" aria-labelledby="identite-administrateurs">
          <h3 id="identite-administrateurs">Administrateurs du client</h3>
          {list?.data ? (
            list.data.items.length === 0 ? (
              <p class="muted">Aucun administrateur pour l’instant.</p>
            ) : (
              <ul>
                {list.data.items.map((a) => (
                  <li key={a.id}>
                    {a.displayName} — {a.email} ({STATUS[a.status] ?? a.status}
                    {a.lastLoginAt ? `, dernière connexion le ${formatDateTime(a.lastLoginAt)}` : ''})
                  </li>
                ))}
              </ul>
            )
          ) : list?.error ? (
            <ErrorState error={list.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
          {canStaffWrite() ? (
            <form novalidate onSubmit={(e: Event) => void invite(e)} aria-labelledby="inviter-titre">
              <h4 id="inviter-titre">Inviter un administrateur</h4>
              <StatusMessage text={state.done.value} />
              <ProblemSummary id="invitation-probleme" problem={state.problem.value} fields={['email', 'displayName']} title="L’invitation n’a pas été envoyée" />
              <div class="grid-2">
                <TextField id="displayName" label="Nom" required autocomplete="off" maxlength={200} modelValue={form.displayName} onUpdate={(v) => (form.displayName = v)} error={state.errors['displayName']} />
                <TextField id="email" label="Adresse e-mail" type="email" required autocomplete="off" maxlength={254} modelValue={form.email} onUpdate={(v) => (form.email = v)} error={state.errors['email']} />
              </div>
              <Button type="submit" label="Envoyer l’invitation" severity="secondary" loading={state.busy.value} />
            </form>
          ) : null}
        </section>
      );
    };
  },
});

/** The « Identité et contacts » section. */
export default defineComponent({
  name: 'IdentitySection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const base = reactive<BaseVersion>({ version: props.tenant.version, generation: 0 });
    async function reloadTenant(): Promise<void> {
      await reload(`tenant:${props.tenant.id}`);
      base.version = props.tenant.version;
      base.generation += 1;
    }
    return () => {
      const editable = canStaffWrite() || isClientAdmin();
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Identité et contacts
          </SectionTitle>
          <DirectoryFacts tenant={props.tenant} base={base} />
          {editable ? <FileForm key={`fiche-${base.generation}`} tenant={props.tenant} base={base} onReload={() => void reloadTenant()} /> : null}
          {editable ? <BrandingForm key={`portail-${base.generation}`} tenant={props.tenant} base={base} onReload={() => void reloadTenant()} /> : null}
          <TenantAdmins tenant={props.tenant} />
        </section>
      );
    };
  },
});
