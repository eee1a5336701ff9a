import Component, { type InputTextEmitsOptions, type InputTextProps, type InputTextSlots } from 'primevue/inputtext';
import type { WithEvents } from './typed';

export const InputText = Component as unknown as WithEvents<InputTextProps, InputTextSlots, InputTextEmitsOptions>;
