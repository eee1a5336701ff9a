/**
 * What a query module needs of the database: one method that runs a parameterised statement.
 * TypeORM's `DataSource`, `EntityManager` and `QueryRunner` fit, so a caller passes whichever it
 * holds (a transaction's manager to run inside it).
 */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
