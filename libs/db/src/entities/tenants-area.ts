/** Entities of the tenants area (habilitations, credentials, webhooks). Owned by that area. */
export const TENANTS_AREA_ENTITIES: Function[] = [];
