export * from './env.js';
export * from './load.js';
export * from './reference.js';
export * from './sections/database.config.js';
export * from './sections/http.config.js';
export * from './sections/log.config.js';
export * from './sections/queue.config.js';
