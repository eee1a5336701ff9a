import { PUBLIC_BODY_KIND_LABELS, formatSiret } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import type { TenantView } from '@fcplat/contract';
import { Button } from '../../../prime/button';
import { Message } from '../../../prime/message';

/** Where the tenant's name comes from, said plainly. */
export const NAME_SOURCES: Readonly<Record<string, string>> = {
  directory: 'repris de l’annuaire des entreprises',
  manual: 'saisi à la création',
  placeholder: 'provisoire : l’annuaire ne l’a pas fourni',
};

/** The details the API filled in from the company directory, and its warnings. */
export const CreatedClient = defineComponent({
  name: 'CreatedClient',
  props: { tenant: { type: Object as PropType<TenantView>, required: true }, onAnother: { type: Function as PropType<() => void>, required: true } },
  setup(props) {
    return () => {
      const t = props.tenant;
      const address = t.address ? [t.address.street, [t.address.postalCode, t.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
      return (
        <section class="card" aria-labelledby="client-cree-titre" data-testid="created-client">
          <h2 id="client-cree-titre" tabindex="-1">
            Client créé : {t.name}
          </h2>
          {t.directoryWarnings.length > 0 ? (
            <div role="alert" class="problem" data-testid="directory-warnings">
              <Message severity="warn" closable={false}>
                {{
                  default: () => (
                    <div>
                      <p>
                        <strong>À vérifier avant d’aller plus loin :</strong>
                      </p>
                      <ul>
                        {t.directoryWarnings.map((w) => (
                          <li key={w.code}>{w.message}</li>
                        ))}
                      </ul>
                    </div>
                  ),
                }}
              </Message>
            </div>
          ) : (
            <p class="field-ok">L’annuaire des entreprises confirme un organisme public en activité.</p>
          )}
          <dl class="definition-list">
            <dt>Nom</dt>
            <dd>
              {t.name} <span class="muted">({NAME_SOURCES[t.nameSource ?? 'manual'] ?? ''})</span>
            </dd>
            <dt>SIRET</dt>
            <dd>{formatSiret(t.siret)}</dd>
            <dt>Adresse</dt>
            <dd>{address ?? <span class="muted">non communiquée</span>}</dd>
            <dt>Catégorie juridique</dt>
            <dd>
              {t.legalCategory ? `${t.legalCategory.code} – ${t.legalCategory.label} (${PUBLIC_BODY_KIND_LABELS[t.legalCategory.kind]})` : <span class="muted">non communiquée</span>}
            </dd>
            <dt>Adresse du portail</dt>
            <dd>
              <span class="code">/t/{t.slug}/</span>
            </dd>
          </dl>
          <div class="actions">
            <RouterLink class="link-button" to={{ name: 'client', params: { id: t.id, section: 'identite' } }}>
              {{ default: () => 'Ouvrir le dossier du client' }}
            </RouterLink>
            <Button type="button" label="Créer un autre client" severity="secondary" outlined onClick={() => props.onAnother()} />
          </div>
        </section>
      );
    };
  },
});
