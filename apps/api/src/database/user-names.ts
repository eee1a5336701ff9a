/**
 * SQL expression: the display name of the user whose id is the text column `column` (audit-style
 * actor ids are text; non-uuid ids such as `qualification-robot` give NULL without a cast error).
 */
export function userNameByTextIdSql(column: string): string {
  return `(SELECT display_name FROM app_user WHERE id = CASE WHEN ${column} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ${column}::uuid END)`;
}
