export * from './errors.js';
export * from './request.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './rate-limiter.js';
