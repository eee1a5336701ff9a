import { defineComponent, type PropType } from 'vue';
import { franceConnectLoginHref } from '../base';

export type FranceConnectPurpose = 'login' | 'signup' | 'data_retrieval';

/** The sentence FranceConnect requires above its button (FC-01, FC-03). */
export const FRANCECONNECT_SENTENCE = 'FranceConnect est la solution proposée par l\'État pour sécuriser et simplifier la connexion à vos services en ligne';
export const FRANCECONNECT_INFO_URL = 'https://franceconnect.gouv.fr/';

/**
 * The FranceConnect mark, drawn simply: a hexagon, the "C" of the logo and the red accent.
 * `currentColor` follows the button's text colour in both themes; decorative (the label names the button).
 */
export function FranceConnectLogo() {
  return (
    <svg class="fc-button__logo" viewBox="0 0 40 48" aria-hidden="true" focusable="false">
      <path d="M20 5.5 36 14.75v18.5L20 42.5 4 33.25v-18.5Z" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" />
      <path d="M26.5 16.8 20 13.05l-7.5 4.33v13.24L20 34.95l6.5-3.75" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round" />
      <path d="m22.5 19.5 8 4.5-8 4.5Z" fill="var(--fc-logo-accent)" />
    </svg>
  );
}

/**
 * The FranceConnect button exactly as FranceConnect ships it (docs/domain.md §5.1, "The button,
 * precisely"), then the « Qu'est-ce que FranceConnect ? » link 8 px below (FC-02). A plain link
 * to the portal's FranceConnect route: no pop-up, no iframe, no script needed (FC-13).
 */
export const FranceConnectButton = defineComponent({
  name: 'FranceConnectButton',
  props: {
    purpose: { type: String as PropType<FranceConnectPurpose>, required: true },
    /** Lets the data-retrieval button ask the API first; the link still works without it. */
    onActivate: { type: Function as PropType<(event: MouseEvent) => void>, default: undefined },
  },
  setup(props) {
    return () => (
      <div class="fc-group">
        <a class="fc-button" href={franceConnectLoginHref(props.purpose)} data-purpose={props.purpose} onClick={props.onActivate}>
          <FranceConnectLogo />
          <span class="fc-button__login">{props.purpose === 'data_retrieval' ? 'Récupérer ses données avec' : 'S\'identifier avec'}</span>{' '}
          <span class="fc-button__brand">FranceConnect</span>
        </a>
        <p class="fc-info">
          <a href={FRANCECONNECT_INFO_URL} target="_blank" rel="noopener" title="Qu'est-ce que FranceConnect ? - nouvelle fenêtre">
            Qu'est-ce que FranceConnect ?
          </a>
        </p>
      </div>
    );
  },
});

/** The sentence, then the button and its link: what each section shows. */
export const FranceConnectBlock = defineComponent({
  name: 'FranceConnectBlock',
  props: {
    purpose: { type: String as PropType<FranceConnectPurpose>, required: true },
    onActivate: { type: Function as PropType<(event: MouseEvent) => void>, default: undefined },
  },
  setup(props) {
    return () => (
      <div class="fc-block">
        <p class="fc-intro">{FRANCECONNECT_SENTENCE}.</p>
        <FranceConnectButton purpose={props.purpose} onActivate={props.onActivate} />
      </div>
    );
  },
});

/** The « ou » separator between FranceConnect and the other methods (FC-06). */
export function OrSeparator() {
  return <p class="separator">ou</p>;
}
