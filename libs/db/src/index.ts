export * from './audit.js';
export * from './notifications.js';
export * from './data-source.js';
export * from './entities/index.js';
export * from './migrate.js';
export { MIGRATIONS } from './migrations/index.js';
export { CHANGES_CHANNEL, NOTIFIED_TABLES } from './migrations/1765400000000-change-notifications.js';
export * from './queries/index.js';
export * from './query-modules.js';
