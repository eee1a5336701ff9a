export * from './errors.js';
export * from './redact.js';
