/** Entities of the franceconnect area. Owned by that area. */
export const FRANCECONNECT_AREA_ENTITIES: (new () => object)[] = [];
