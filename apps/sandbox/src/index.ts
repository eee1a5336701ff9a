export * from './http.js';
export * from './sandbox.js';
