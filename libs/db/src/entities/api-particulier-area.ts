import { ApiParticulierBatchEntity } from './api-particulier/api-particulier-batch.entity.js';
import { ApiParticulierCallEntity } from './api-particulier/api-particulier-call.entity.js';

export * from './api-particulier/api-particulier-batch.entity.js';
export * from './api-particulier/api-particulier-call.entity.js';

/**
 * Entities of the API Particulier calls (libs/api-particulier-calls, the API's call logs). The
 * dispatcher's and the limiter's own tables have none: they are used only through those modules'
 * SQL (see `QUERY_MODULE_TABLES`).
 */
export const API_PARTICULIER_AREA_ENTITIES: (new () => object)[] = [ApiParticulierBatchEntity, ApiParticulierCallEntity];
