export * from './backend.js';
export * from './errors.js';
export * from './heartbeat.js';
export * from './infrastructure.js';
export * from './producer.js';
export * from './registry.js';
export * from './worker-host.js';
