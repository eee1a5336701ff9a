/**
 * The relations (tables and views) created by the migrations that have no TypeORM entity, on
 * purpose: each is used only through the SQL of one named module, which owns it. Every other
 * relation has its entity in `ENTITIES`. Checked both ways:
 * - `libs/db/test/table-ownership.int-spec.ts` migrates a scratch database and fails on a relation
 *   that has neither an entity nor an entry here (and on an entry or entity without its relation);
 * - `libs/db/src/query-modules.spec.ts` fails when a source file outside libs/db other than the
 *   owning module names one of these relations.
 * Listed in docs/architecture.md (section Data).
 */
export interface QueryModuleTable {
  /** The relation, in the `public` schema. */
  readonly table: string;
  readonly kind: 'table' | 'view';
  /** The one module that uses it (repository-relative path). */
  readonly module: string;
  /** Why raw SQL and no entity. */
  readonly why: string;
}

export const QUERY_MODULE_TABLES: readonly QueryModuleTable[] = [
  {
    table: 'api_particulier_lane',
    kind: 'table',
    module: 'libs/api-particulier-calls/src/dispatcher.ts',
    why: 'round-robin bookkeeping of the fair dispatch: joined and upserted by the dispatcher’s tick, under its advisory lock',
  },
  {
    table: 'rate_limit_bucket',
    kind: 'table',
    module: 'libs/api-particulier-calls/src/limiter.ts',
    why: 'GCRA buckets and 429 pauses: reservations lock the rows (`FOR UPDATE`) and compute on the database’s clock',
  },
  {
    table: 'auth_rate_limit',
    kind: 'table',
    module: 'apps/api/src/infrastructure/shared-limits.ts',
    why: 'the PostgreSQL store of rate-limiter-flexible (embedded mode): the layout and the statements are the package’s',
  },
  {
    table: 'tenant_credential',
    kind: 'view',
    module: 'apps/api/src/onboarding/facts.ts',
    why: 'the tenants area’s contract with onboarding: which credentials exist, without any secret; read after checking its columns in the catalogue',
  },
];

/** Relations of the frameworks themselves, not of the platform. */
export const FRAMEWORK_TABLES: readonly { readonly table: string; readonly owner: string }[] = [{ table: 'schema_migrations', owner: 'TypeORM’s migration runner (`migrationsTableName`)' }];
