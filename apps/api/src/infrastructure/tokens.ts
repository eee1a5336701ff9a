/** DI tokens of the infrastructure the API is built on. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
/**
 * `SqlRunner` (@fcplat/db) of the hot paths' autocommit statements: named prepared statements on
 * the DataSource's pool (`preparedStatements`), or the DataSource itself when they are turned off.
 */
export const HOT_SQL = Symbol('HOT_SQL');
export const JOB_PRODUCER = Symbol('JOB_PRODUCER');
export const SECRET_BOX = Symbol('SECRET_BOX');
/** `ApiParticulierRuntime` (libs/api-particulier-calls): ledger, limiter, endpoints, call service. */
export const API_PARTICULIER_RUNTIME = Symbol('API_PARTICULIER_RUNTIME');
