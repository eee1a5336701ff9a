/**
 * Every database column holding secret-box ciphertexts, so that `secrets:rotate` re-encrypts
 * them all (SR-22). An area that adds an encrypted column adds one entry here, with the exact
 * context its code encrypts with (the field constants are imported from the owning code, never
 * retyped), or, if it must not be rotated, an entry in {@link EXCLUDED_CIPHERTEXT_COLUMNS} with
 * its reason and the bounded life of its values. The registry is checked against the schema
 * (every `*_ciphertext` column of `information_schema.columns`): `secrets:rotate` refuses to run
 * while a column is in neither list, and a test fails the day one is added.
 */
import type { DataSource } from 'typeorm';
import { appendAudit } from '@fcplat/db';
import { SecretDecryptionError, type SecretBox, type SecretContext } from '@fcplat/crypto';
import type { ApiParticulierEnvironment, FranceConnectEnvironment } from '@fcplat/db';
import { CALL_INPUT_FIELD, CALL_RESULT_FIELD } from '@fcplat/api-particulier-calls';
import { apiParticulierTokenField, franceConnectSecretField } from '../tenants/secret-fields.js';
import { TOTP_SECRET_FIELD } from '../accounts/login.service.js';
import { ACCESS_TOKEN_FIELD, ID_TOKEN_FIELD } from '../portal/citizen-sessions.service.js';
import { RECONCILIATION_ID_TOKEN_FIELD } from '../portal/citizens.service.js';

export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  /** Primary key column. */
  readonly key: string;
  /** Other columns the context needs. */
  readonly contextColumns: readonly string[];
  /** The secret-box context of a row, exactly as the owning code encrypts it. */
  readonly context: (row: Readonly<Record<string, string>>) => SecretContext;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: 'franceconnect_credential',
    column: 'client_secret_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id', 'environment'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: franceConnectSecretField(row.environment as FranceConnectEnvironment) }),
  },
  {
    table: 'api_particulier_credential',
    column: 'token_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id', 'environment'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: apiParticulierTokenField(row.environment as ApiParticulierEnvironment) }),
  },
  {
    // Accounts area: TOTP seeds, bound to the user (not to a tenant).
    table: 'app_user',
    column: 'totp_secret_ciphertext',
    key: 'id',
    contextColumns: [],
    context: (row) => ({ tenantId: String(row.id), field: TOTP_SECRET_FIELD }),
  },
  {
    // A queued call's input (the citizen's identity or FranceConnect token), until it finishes.
    table: 'api_particulier_call',
    column: 'input_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: CALL_INPUT_FIELD }),
  },
  {
    // The useful part of an answer (portal results, batch results), kept for the retention period.
    table: 'api_particulier_call',
    column: 'result_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: CALL_RESULT_FIELD }),
  },
  {
    // The FranceConnect ID token of an identity waiting for the citizen's confirmation.
    table: 'citizen_reconciliation',
    column: 'id_token_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: RECONCILIATION_ID_TOKEN_FIELD }),
  },
  {
    // Citizen sessions live 30 minutes at most, but are rotated too: no window where removing
    // the old key would log citizens out of FranceConnect without an id_token_hint.
    table: 'citizen_session',
    column: 'fc_id_token_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: ID_TOKEN_FIELD }),
  },
  {
    table: 'citizen_session',
    column: 'fc_access_token_ciphertext',
    key: 'id',
    contextColumns: ['tenant_id'],
    context: (row) => ({ tenantId: String(row.tenant_id), field: ACCESS_TOKEN_FIELD }),
  },
];

export interface ExcludedCiphertextColumn {
  readonly table: string;
  readonly column: string;
  /** Why it is not re-encrypted by `secrets:rotate`. */
  readonly reason: string;
  /** Its values are gone after this long: wait as much after a rotation before removing the old key. */
  readonly maxLifeHours: number;
}

/**
 * `*_ciphertext` columns deliberately left out of the rotation, each with its reason and the
 * bounded life of its values (so the old key can be removed once that time has passed). None today.
 */
export const EXCLUDED_CIPHERTEXT_COLUMNS: readonly ExcludedCiphertextColumn[] = [];

/**
 * The `*_ciphertext` columns of the database's schema that are neither rotated nor excluded with
 * a reason (as `table.column`); empty when the registry is complete.
 */
export async function unregisteredCiphertextColumns(
  dataSource: DataSource,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
  excluded: readonly ExcludedCiphertextColumn[] = EXCLUDED_CIPHERTEXT_COLUMNS,
): Promise<string[]> {
  const rows: { table_name: string; column_name: string }[] = await dataSource.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name LIKE '%\\_ciphertext' ESCAPE '\\'
      ORDER BY table_name, column_name`,
  );
  const known = new Set([...columns, ...excluded].map((c) => `${c.table}.${c.column}`));
  return rows.map((r) => `${r.table_name}.${r.column_name}`).filter((name) => !known.has(name));
}

export interface ColumnRotationReport {
  readonly table: string;
  readonly column: string;
  /** Rows found under another key than the active one. */
  examined: number;
  /** Rows re-encrypted under the active key. */
  rotated: number;
  /** Rows whose value changed between read and write (written meanwhile by the application): left alone. */
  changedMeanwhile: number;
  /** Rows that do not decrypt (unknown key, other tenant's value, altered): left alone, listed. */
  failed: number;
  /** Rows still under another key after this run. */
  remaining: number;
}

export interface RotationOptions {
  readonly dryRun?: boolean;
  readonly batchSize?: number;
  readonly out?: (line: string) => void;
  /** Test hook: runs between reading a row and writing it back. */
  readonly beforeWrite?: (table: string, id: string) => Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid SQL identifier in the encrypted-column registry: ${name}`);
  return `"${name}"`;
}

/** Number of rows an UPDATE touched, from TypeORM's `query()` answer (`[rows, count]` for UPDATE). */
function affectedRows(result: unknown): number {
  if (Array.isArray(result) && typeof result[1] === 'number') return result[1];
  if (Array.isArray(result)) return result.length;
  return 0;
}

/**
 * Re-encrypts under the active key every ciphertext written under another key: one row at a time,
 * each UPDATE its own transaction and guarded by the value read (`WHERE column = <old>`), so a
 * value written meanwhile by the API is never overwritten. Idempotent: run it until nothing remains.
 * Prints table, id and error code of rows that fail, never a value.
 */
export async function rotateSecrets(
  dataSource: DataSource,
  box: SecretBox,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
  options: RotationOptions = {},
): Promise<ColumnRotationReport[]> {
  const out = options.out ?? (() => undefined);
  const batchSize = options.batchSize ?? 200;
  const activePrefix = `v1.${box.activeKeyId.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
  const reports: ColumnRotationReport[] = [];
  for (const spec of columns) {
    const table = quoted(spec.table);
    const column = quoted(spec.column);
    const key = quoted(spec.key);
    const extra = spec.contextColumns.map((c) => `${quoted(c)}::text AS ${quoted(c)}`).join(', ');
    const report: ColumnRotationReport = { table: spec.table, column: spec.column, examined: 0, rotated: 0, changedMeanwhile: 0, failed: 0, remaining: 0 };
    let after = '';
    for (;;) {
      const rows: Record<string, string>[] = await dataSource.query(
        `SELECT ${key}::text AS "__key", ${column} AS "__ciphertext"${extra ? `, ${extra}` : ''}, ${key}::text AS ${key}
           FROM ${table}
          WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 ESCAPE '\\' AND ${key}::text > $2
          ORDER BY ${key}::text
          LIMIT ${batchSize}`,
        [activePrefix, after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = row.__key as string;
        const ciphertext = row.__ciphertext as string;
        after = id;
        let fresh: string;
        try {
          if (!box.needsRotation(ciphertext)) continue;
          report.examined += 1;
          if (options.dryRun) continue;
          fresh = box.reencrypt(ciphertext, spec.context(row));
        } catch (error) {
          if (!(error instanceof SecretDecryptionError)) throw error;
          report.failed += 1;
          out(`  ${spec.table}.${spec.column} row ${id}: ${error.code} (left as is)`);
          continue;
        }
        await options.beforeWrite?.(spec.table, id);
        const result: unknown = await dataSource.query(`UPDATE ${table} SET ${column} = $1 WHERE ${key}::text = $2 AND ${column} = $3`, [fresh, id, ciphertext]);
        if (affectedRows(result) === 1) report.rotated += 1;
        else report.changedMeanwhile += 1;
      }
    }
    const [{ count }] = (await dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 ESCAPE '\\'`, [
      activePrefix,
    ])) as [{ count: number }];
    report.remaining = count;
    reports.push(report);
  }
  if (!options.dryRun) {
    await appendAudit(dataSource.manager, {
      actor: { type: 'system', id: 'cli:secrets:rotate' },
      tenantId: null,
      action: 'secrets.rotated',
      changes: {
        activeKeyId: box.activeKeyId,
        columns: reports.map((r) => ({ column: `${r.table}.${r.column}`, rotated: r.rotated, changedMeanwhile: r.changedMeanwhile, failed: r.failed, remaining: r.remaining })),
      },
    });
  }
  return reports;
}
