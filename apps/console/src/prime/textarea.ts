import Component, { type TextareaEmitsOptions, type TextareaProps, type TextareaSlots } from 'primevue/textarea';
import type { WithEvents } from './typed';

export const Textarea = Component as unknown as WithEvents<TextareaProps, TextareaSlots, TextareaEmitsOptions>;
