export * from './franceconnect-state.queries.js';
export * from './sql-runner.js';
export * from './prepared-statements.js';
