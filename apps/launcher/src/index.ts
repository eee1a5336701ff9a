export * from './embedded-postgres.js';
export * from './processes.js';
