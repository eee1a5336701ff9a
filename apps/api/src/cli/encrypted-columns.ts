/**
 * Every database column holding secret-box ciphertexts, so that `secrets:rotate` re-encrypts
 * them all (SR-22). An area that adds an encrypted column adds one entry here, with the exact
 * context its code encrypts with.
 */
import type { DataSource } from 'typeorm';
import { appendAudit } from '@fcplat/db';
import { SecretDecryptionError, type SecretBox, type SecretContext } from '@fcplat/crypto';
import type { ApiParticulierEnvironment, FranceConnectEnvironment } from '@fcplat/db';
import { apiParticulierTokenField, franceConnectSecretField } from '../tenants/secret-fields.js';

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
    context: (row) => ({ tenantId: String(row.id), field: 'totp_secret' }),
  },
];

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
