import Component, { type TagEmitsOptions, type TagProps, type TagSlots } from 'primevue/tag';
import type { WithEvents } from './typed';

export const Tag = Component as unknown as WithEvents<TagProps, TagSlots, TagEmitsOptions>;
