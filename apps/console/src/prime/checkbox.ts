import Component, { type CheckboxEmitsOptions, type CheckboxProps, type CheckboxSlots } from 'primevue/checkbox';
import type { WithEvents } from './typed';

export const Checkbox = Component as unknown as WithEvents<CheckboxProps, CheckboxSlots, CheckboxEmitsOptions>;
