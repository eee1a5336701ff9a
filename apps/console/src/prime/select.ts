import Component, { type SelectEmitsOptions, type SelectProps, type SelectSlots } from 'primevue/select';
import type { WithEvents } from './typed';

export const Select = Component as unknown as WithEvents<SelectProps, SelectSlots, SelectEmitsOptions>;
