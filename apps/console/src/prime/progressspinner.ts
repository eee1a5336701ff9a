import Component, { type ProgressSpinnerEmitsOptions, type ProgressSpinnerProps, type ProgressSpinnerSlots } from 'primevue/progressspinner';
import type { WithEvents } from './typed';

export const ProgressSpinner = Component as unknown as WithEvents<ProgressSpinnerProps, ProgressSpinnerSlots, ProgressSpinnerEmitsOptions>;
