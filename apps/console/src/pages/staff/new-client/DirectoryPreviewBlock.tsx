import { defineComponent, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import type { DirectoryPreview } from '@fcplat/contract';
import { Message } from '../../../prime/message';

/** What the directory says of the SIRET typed, announced to screen readers when it arrives. */
export const DirectoryPreviewBlock = defineComponent({
  name: 'DirectoryPreviewBlock',
  props: {
    preview: { type: Object as PropType<DirectoryPreview | null>, default: null },
    state: { type: String as PropType<'idle' | 'loading' | 'failed'>, required: true },
  },
  setup(props) {
    return () => {
      const p = props.preview;
      return (
        <div class="directory-preview" aria-live="polite" data-testid="directory-preview">
          {props.state === 'loading' ? <p class="muted">Recherche dans l’annuaire des entreprises…</p> : null}
          {props.state === 'failed' ? <p class="muted">L’annuaire n’a pas pu être consulté : le client peut être créé, ses informations seront complétées plus tard.</p> : null}
          {p ? (
            <>
              {p.found ? (
                <dl class="definition-list">
                  <dt>Annuaire des entreprises</dt>
                  <dd>
                    <strong>{p.name}</strong>
                  </dd>
                  <dt>Adresse</dt>
                  <dd>{p.address ? [p.address.street, [p.address.postalCode, p.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : '—'}</dd>
                  <dt>Catégorie juridique</dt>
                  <dd>{p.legalCategoryLabel ?? '—'}</dd>
                </dl>
              ) : null}
              {p.existingTenant ? (
                <Message severity="warn" closable={false}>
                  {{
                    default: () => (
                      <>
                        Ce SIRET est déjà celui d’un client :{' '}
                        <RouterLink to={{ name: 'client', params: { id: p.existingTenant?.id ?? '' } }}>{{ default: () => p.existingTenant?.name }}</RouterLink>.
                      </>
                    ),
                  }}
                </Message>
              ) : null}
              {p.warnings.map((w) => (
                <Message key={w.code} severity="warn" closable={false}>
                  {{ default: () => w.message }}
                </Message>
              ))}
            </>
          ) : null}
        </div>
      );
    };
  },
});
