/** Entities of the portal area. Owned by that area. */
export const PORTAL_AREA_ENTITIES: (new () => object)[] = [];
