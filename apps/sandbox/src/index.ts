export * from './http.js';
export * from './sandbox.js';
export * from './mail-sink.js';
export * from './services/api-particulier.js';
