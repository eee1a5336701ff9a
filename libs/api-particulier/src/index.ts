export * from './client.js';
export * from './errors.js';
export * from './identity.js';
export * from './rate-limit-headers.js';
export * from './responses.js';
export * from './summary.js';
