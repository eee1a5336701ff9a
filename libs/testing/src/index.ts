export * from './database.js';
export * from './environment.js';
export * from './redis-server.js';
