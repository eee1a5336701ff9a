import Component, { type MessageEmitsOptions, type MessageProps, type MessageSlots } from 'primevue/message';
import type { WithEvents } from './typed';

export const Message = Component as unknown as WithEvents<MessageProps, MessageSlots, MessageEmitsOptions>;
