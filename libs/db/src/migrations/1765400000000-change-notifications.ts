import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel of {@link ChangeNotifications1765400000000}'s notifications (`LISTEN fcplat_changes`). */
export const CHANGES_CHANNEL = 'fcplat_changes';

/**
 * Tables whose changes invalidate the API's per-process caches (issue 15), with the column that
 * names the cached thing: a tenant's FranceConnect settings (the tenant, its live environments,
 * its FranceConnect credentials, its habilitations) and API tokens (the token, its user).
 */
export const NOTIFIED_TABLES: ReadonlyArray<readonly [table: string, keyColumn: string, updateColumns?: readonly string[]]> = [
  ['tenant', 'id'],
  ['tenant_live_environment', 'tenant_id'],
  ['franceconnect_credential', 'tenant_id'],
  ['tenant_habilitation', 'tenant_id'],
  // Not `last_used_at`, written by the guard itself once a minute.
  ['api_token', 'user_id', ['user_id', 'token_hash', 'expires_at', 'revoked_at']],
  ['app_user', 'id'],
];

/**
 * Change notifications for the API's caches: every committed INSERT, UPDATE or DELETE on a table
 * of {@link NOTIFIED_TABLES} sends `<table>:<key>` on the channel `fcplat_changes` (and the old
 * key too when an UPDATE changes it). A trigger, not the code that writes: a change made by any
 * path — an API replica, the CLI, the worker, an operator's SQL — reaches every replica's cache.
 * PostgreSQL delivers notifications at commit only (a rolled-back change sends nothing) and
 * folds identical ones of one transaction (a key rotation touching every credential of a tenant
 * sends one).
 */
export class ChangeNotifications1765400000000 implements MigrationInterface {
  name = 'ChangeNotifications1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION fcplat_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        new_key text;
        old_key text;
      BEGIN
        IF TG_OP <> 'DELETE' THEN new_key := to_jsonb(NEW) ->> TG_ARGV[0]; END IF;
        IF TG_OP <> 'INSERT' THEN old_key := to_jsonb(OLD) ->> TG_ARGV[0]; END IF;
        IF new_key IS NOT NULL THEN PERFORM pg_notify('${CHANGES_CHANNEL}', TG_TABLE_NAME || ':' || new_key); END IF;
        IF old_key IS NOT NULL AND old_key IS DISTINCT FROM new_key THEN PERFORM pg_notify('${CHANGES_CHANNEL}', TG_TABLE_NAME || ':' || old_key); END IF;
        RETURN NULL;
      END
      $$`);
    for (const [table, column, updateColumns] of NOTIFIED_TABLES) {
      const update = updateColumns ? `UPDATE OF ${updateColumns.join(', ')}` : 'UPDATE';
      await q.query(`CREATE TRIGGER ${table}_notify_change AFTER INSERT OR ${update} OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION fcplat_notify_change('${column}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table] of NOTIFIED_TABLES) await q.query(`DROP TRIGGER ${table}_notify_change ON ${table}`);
    await q.query(`DROP FUNCTION fcplat_notify_change()`);
  }
}
