/**
 * The API contract (see `routes.ts` and `route-schemas.ts`). The API imports it whole; the
 * front-ends import only types from here (`import type`, enforced by ESLint) and the route table's
 * values from `@fcplat/contract/routes`, so no zod code enters their bundles.
 */
export * from './text.js';
export * from './pagination.js';
export * from './problem.js';
export * from './accounts.js';
export * from './onboarding.js';
export * from './analytics.js';
export * from './qualification-robot.js';
export * from './audit.js';
export * from './api-particulier.js';
export * from './portal.js';
export * from './tenants.js';
export * from './habilitations.js';
export * from './credentials.js';
export * from './live-environments.js';
export * from './notifications.js';
export * from './routes.js';
export * from './route-schemas.js';
