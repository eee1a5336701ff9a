import { FranceConnectStateEntity } from './franceconnect/franceconnect-state.entity.js';

export * from './franceconnect/franceconnect-state.entity.js';

/** Entities of the franceconnect area. Owned by that area. */
export const FRANCECONNECT_AREA_ENTITIES: (new () => object)[] = [FranceConnectStateEntity];
