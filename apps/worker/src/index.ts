export * from './processors.js';
export * from './worker.js';
export * from './notifications/index.js';
