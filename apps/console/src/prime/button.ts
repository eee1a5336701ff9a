import Component, { type ButtonEmitsOptions, type ButtonProps, type ButtonSlots } from 'primevue/button';
import type { WithEvents } from './typed';

export const Button = Component as unknown as WithEvents<ButtonProps, ButtonSlots, ButtonEmitsOptions>;
