export * from './database.js';
export * from './factories.js';
export * from './environment.js';
export * from './log-capture.js';
export * from './processes.js';
export * from './redis-server.js';
export * from './wait.js';
