import type { DefineComponent } from '@primevue/core';

/**
 * PrimeVue types its components for templates: their events are not props, so TSX cannot pass
 * `onUpdate:modelValue` and the like. This adds one `on<Event>` prop per declared event, with
 * the event's own arguments, so listeners stay type-checked. Each component has its own module
 * here (not one barrel) so that a page's chunk only carries the components it renders.
 */
type Listener<F> = F extends (...args: infer A) => unknown ? (...args: A) => void : never;

export type EventProps<E> = { [K in keyof E & string as `on${Capitalize<K>}`]?: Listener<E[K]> };

export type WithEvents<P, S, E> = DefineComponent<P & EventProps<E>, S>;
