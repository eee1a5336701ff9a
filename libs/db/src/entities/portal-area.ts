import { CitizenFranceConnectIdentityEntity, CitizenEntity, CitizenReconciliationEntity } from './portal/citizen.entity.js';
import { CitizenSessionEntity } from './portal/citizen-session.entity.js';
import { CitizenSignupRequestEntity } from './portal/citizen-signup-request.entity.js';

export * from './portal/citizen.entity.js';
export * from './portal/citizen-session.entity.js';
export * from './portal/citizen-signup-request.entity.js';

/** Entities of the portal area. Owned by that area. */
export const PORTAL_AREA_ENTITIES: (new () => object)[] = [CitizenEntity, CitizenFranceConnectIdentityEntity, CitizenReconciliationEntity, CitizenSessionEntity, CitizenSignupRequestEntity];
