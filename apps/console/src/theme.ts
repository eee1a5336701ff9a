import { definePreset } from '@primeuix/themes';
import base from '@primeuix/themes/aura/base';
import button from '@primeuix/themes/aura/button';
import checkbox from '@primeuix/themes/aura/checkbox';
import message from '@primeuix/themes/aura/message';
import progressspinner from '@primeuix/themes/aura/progressspinner';
import select from '@primeuix/themes/aura/select';
import tag from '@primeuix/themes/aura/tag';
import textarea from '@primeuix/themes/aura/textarea';
import inputtext from '@primeuix/themes/aura/inputtext';

/**
 * PrimeVue's Aura theme, limited to the components the console renders: the full preset carries
 * the design tokens of ~90 components (about 15 kB gzipped on the first page), the console uses
 * eight. Add a component's tokens here when a page starts using it (its styles read them).
 */
const auraForConsole = { ...base, components: { button, checkbox, inputtext, message, progressspinner, select, tag, textarea } };

function messageColors(color: string) {
  return { color, outlined: { color, borderColor: color }, simple: { color } };
}

/**
 * The editor's blue as primary colour. Aura draws filled buttons with the palette's 500 shade and
 * white text: the palette is shifted so that this shade is a dark blue (#1d4ed8, 6.7:1 on white,
 * WCAG AA for any text size), its hover one darker still. Focus rings are widened to 2 px so the
 * focus is always visible (RGAA 10.7).
 */
export const consolePreset = definePreset(auraForConsole, {
  semantic: {
    primary: {
      50: '#eff6ff',
      100: '#dbeafe',
      200: '#bfdbfe',
      300: '#93c5fd',
      400: '#2563eb',
      500: '#1d4ed8',
      600: '#1e40af',
      700: '#1e3a8a',
      800: '#1e3a8a',
      900: '#172554',
      950: '#172554',
    },
    focusRing: { width: '2px', style: 'solid', color: '#1d4ed8', offset: '2px' },
    formField: { focusRing: { width: '2px', style: 'solid', color: '#1d4ed8', offset: '1px' } },
  },
  // Aura's message texts (600 shades on 50 backgrounds), grey button texts (slate 500) and tag
  // texts are below or at the edge of 4.5:1 on the console's backgrounds: one or two shades darker.
  // (PrimeVue 4 themes keep component colours per colour scheme.)
  components: {
    message: {
      colorScheme: {
        light: {
          info: messageColors('{blue.800}'),
          success: messageColors('{green.800}'),
          warn: messageColors('{yellow.800}'),
          error: messageColors('{red.800}'),
          secondary: messageColors('{surface.700}'),
          contrast: messageColors('{surface.900}'),
        },
      },
    },
    button: {
      colorScheme: {
        light: {
          root: {
            secondary: { color: '{surface.700}', hoverColor: '{surface.800}', activeColor: '{surface.900}' },
            // Red 700 and darker: white text stays above 4.5:1 (revocation buttons).
            danger: {
              background: '{red.700}',
              hoverBackground: '{red.800}',
              activeBackground: '{red.900}',
              borderColor: '{red.700}',
              hoverBorderColor: '{red.800}',
              activeBorderColor: '{red.900}',
            },
          },
          outlined: { secondary: { color: '{surface.700}', borderColor: '{surface.400}' }, primary: { color: '{primary.600}' }, danger: { color: '{red.700}', borderColor: '{red.400}' } },
          text: { secondary: { color: '{surface.700}' }, primary: { color: '{primary.600}' } },
          link: { color: '{primary.600}', hoverColor: '{primary.700}', activeColor: '{primary.800}' },
        },
      },
    },
    tag: {
      colorScheme: {
        light: {
          secondary: { color: '{surface.700}' },
          success: { color: '{green.800}' },
          info: { color: '{sky.800}' },
          warn: { color: '{orange.800}' },
          danger: { color: '{red.800}' },
        },
      },
    },
  },
});

/** French texts of the PrimeVue parts the console uses (merged over PrimeVue's English defaults). */
export const FRENCH_LOCALE = {
  accept: 'Oui',
  reject: 'Non',
  cancel: 'Annuler',
  clear: 'Effacer',
  apply: 'Appliquer',
  emptyMessage: 'Aucune option disponible',
  emptyFilterMessage: 'Aucun résultat',
  emptySearchMessage: 'Aucun résultat',
  searchMessage: '{0} résultat(s) disponible(s)',
  selectionMessage: '{0} élément(s) sélectionné(s)',
  emptySelectionMessage: 'Aucun élément sélectionné',
  aria: {
    trueLabel: 'Oui',
    falseLabel: 'Non',
    nullLabel: 'Non renseigné',
    close: 'Fermer',
    previous: 'Précédent',
    next: 'Suivant',
    navigation: 'Navigation',
    listLabel: 'Liste des options',
  },
} as const;
