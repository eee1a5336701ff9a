export * from './app.js';
export { buildOpenApiDocument } from './openapi/openapi.js';
export * from './http/frontends.js';
