export * from './error-docs.js';
export * from './errors.js';
export * from './redact.js';
export * from './log-safety.js';
export * from './html.js';
export * from './stop-deadline.js';
