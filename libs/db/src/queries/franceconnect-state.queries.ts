/**
 * Query module of `franceconnect_state` (entity `FranceConnectStateEntity`): the single SQL
 * statements through which the FranceConnect relying party (`@fcplat/franceconnect`, its
 * `PendingStateStore`) creates, consumes and purges pending requests. Each is one statement on
 * purpose: consumption is one atomic `UPDATE` (single use, even under races) and nothing holds a
 * transaction (embedded PostgreSQL is single-session).
 */
import type { FranceConnectStateKind } from '../entities/franceconnect/franceconnect-state.entity.js';
import type { SqlRunner } from './sql-runner.js';

/** A `franceconnect_state` row as these statements return it. */
export interface FranceConnectStateRow {
  kind: FranceConnectStateKind;
  tenant_id: string;
  binding_hash: string;
  issuer: string;
  client_id: string;
  redirect_uri: string;
  purpose: string;
  nonce: string | null;
  scope: string | null;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
  /** Whether `expires_at` has passed, by the database's clock. */
  expired: boolean;
}

/** What a pending request must match to be consumed. */
export interface FranceConnectStateMatch {
  /** SHA-256 (hex) of the `state`: the state itself is never stored. */
  readonly stateHash: string;
  readonly kind: FranceConnectStateKind;
  readonly tenantId: string;
  readonly bindingHash: string;
  readonly issuer: string;
  readonly clientId: string;
}

/** A pending request as stored: what it must match, and what its callback needs. */
export interface NewFranceConnectState extends FranceConnectStateMatch {
  readonly redirectUri: string;
  readonly purpose: string;
  readonly nonce: string | null;
  readonly scope: string | null;
  /** Lifetime from now, by the database's clock. */
  readonly ttlSeconds: number;
}

const COLUMNS = 'kind, tenant_id, binding_hash, issuer, client_id, redirect_uri, purpose, nonce, scope, created_at, expires_at, consumed_at';

function rowsOf(result: unknown): FranceConnectStateRow[] {
  return Array.isArray(result) ? (result as FranceConnectStateRow[]) : [];
}

/**
 * Inserts a pending request and, in the same statement, keeps only the `keep` most recent
 * unconsumed requests of its (tenant, browser binding): the older ones are deleted (a cheap flood
 * guard; several tabs are fine, thousands are not). One round trip on the login route's path.
 * Returns the new row (null only if the database returned none).
 */
export async function insertFranceConnectState(db: SqlRunner, state: NewFranceConnectState, keep: number): Promise<FranceConnectStateRow | null> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError('keep must be a positive integer');
  const rows = rowsOf(
    await db.query(
      // The DELETE sees the table as it was before the INSERT (one snapshot): it keeps `keep - 1` older ones.
      `WITH inserted AS (
         INSERT INTO franceconnect_state (state_hash, kind, tenant_id, binding_hash, issuer, client_id, redirect_uri, purpose, nonce, scope, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11::double precision))
         RETURNING ${COLUMNS}, false AS expired)
       , trimmed AS (
         DELETE FROM franceconnect_state WHERE id IN (
           SELECT id FROM franceconnect_state
           WHERE tenant_id = $3 AND binding_hash = $4 AND consumed_at IS NULL
           ORDER BY created_at DESC, id OFFSET $12 - 1))
       SELECT * FROM inserted`,
      [state.stateHash, state.kind, state.tenantId, state.bindingHash, state.issuer, state.clientId, state.redirectUri, state.purpose, state.nonce, state.scope, state.ttlSeconds, keep],
    ),
  );
  return rows[0] ?? null;
}

/**
 * Consumes the request that matches, if it is unexpired and unused: one `UPDATE` decides, so it is
 * single use under races. Null when nothing matched.
 */
export async function consumeFranceConnectState(db: SqlRunner, match: FranceConnectStateMatch): Promise<FranceConnectStateRow | null> {
  const rows = rowsOf(
    await db.query(
      `WITH consumed AS (
         UPDATE franceconnect_state SET consumed_at = now()
         WHERE state_hash = $1 AND kind = $2 AND tenant_id = $3 AND binding_hash = $4 AND issuer = $5 AND client_id = $6
           AND consumed_at IS NULL AND expires_at > now()
         RETURNING ${COLUMNS})
       SELECT *, false AS expired FROM consumed`,
      [match.stateHash, match.kind, match.tenantId, match.bindingHash, match.issuer, match.clientId],
    ),
  );
  return rows[0] ?? null;
}

/** The request of a state hash, whatever its state (to tell why it could not be consumed). */
export async function findFranceConnectState(db: SqlRunner, stateHash: string): Promise<FranceConnectStateRow | null> {
  const rows = rowsOf(await db.query(`SELECT ${COLUMNS}, expires_at <= now() AS expired FROM franceconnect_state WHERE state_hash = $1`, [stateHash]));
  return rows[0] ?? null;
}

/** Deletes at most `limit` requests expired for more than `graceSeconds`; returns how many. */
export async function purgeExpiredFranceConnectStates(db: SqlRunner, graceSeconds: number, limit: number): Promise<number> {
  const result = await db.query(
    `WITH doomed AS (
       SELECT id FROM franceconnect_state WHERE expires_at < now() - make_interval(secs => $1::double precision) LIMIT $2)
     , deleted AS (DELETE FROM franceconnect_state WHERE id IN (SELECT id FROM doomed) RETURNING 1)
     SELECT count(*)::int AS count FROM deleted`,
    [graceSeconds, limit],
  );
  const first: unknown = Array.isArray(result) ? result[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as { count?: unknown }).count === 'number' ? (first as { count: number }).count : 0;
}
