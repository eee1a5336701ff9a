export * from './client.js';
export * from './lookup.js';
export * from './upstream.js';
