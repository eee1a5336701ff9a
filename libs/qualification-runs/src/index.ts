export * from './checklist.js';
export * from './processor.js';
export * from './requests.js';
export * from './scheduler.js';
export * from './store.js';
export * from './target.js';
