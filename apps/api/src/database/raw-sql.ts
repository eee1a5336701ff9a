/**
 * Raw SQL through TypeORM's `EntityManager`, shared by every area of the API that writes its
 * queries by hand (onboarding, audit, qualification robot, tenant access): row-returning
 * statements, LIKE patterns, uuid parameters.
 */
import type { EntityManager } from 'typeorm';

/**
 * Runs a statement that returns rows (SELECT, or a data-modifying statement wrapped in a CTE or
 * with RETURNING on INSERT). TypeORM returns `[rows, count]` for a bare UPDATE/DELETE, so
 * updates that need their rows are written `WITH u AS (UPDATE … RETURNING …) SELECT * FROM u`.
 */
export async function selectRows<T>(manager: EntityManager, sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
  const rows: unknown = await manager.query(sql, [...parameters]);
  if (!Array.isArray(rows)) throw new Error('Expected rows from a row-returning statement');
  return rows as T[];
}

export async function selectOne<T>(manager: EntityManager, sql: string, parameters: readonly unknown[] = []): Promise<T | null> {
  const rows = await selectRows<T>(manager, sql, parameters);
  return rows[0] ?? null;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern (the default escape character is `\`). */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a uuid: checked before it becomes a `uuid` parameter, which PostgreSQL would refuse with an error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
