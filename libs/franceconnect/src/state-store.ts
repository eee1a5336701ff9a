/**
 * Pending FranceConnect requests (`state` + `nonce` of a login, `state` of a logout) in PostgreSQL,
 * so every API replica shares them (SR-02):
 * - `state` and `nonce` are 43 random characters of [0-9A-Za-z] (about 256 bits each);
 * - only SHA-256 digests of the `state` and of the browser binding are stored;
 * - a row is bound to the tenant, the browser binding, the issuer and the client_id, expires after
 *   10 minutes by default, and is consumed by one atomic UPDATE (single use, even under races);
 * - any number may be pending at once (tabs, tenants), bounded per browser binding.
 *
 * It is also the custom `store` of passport-openidconnect (`store(req, ctx, appState, meta, cb)` /
 * `verify(req, handle, cb)`), replacing its session store that keeps one state per session.
 */
import { createHash } from 'node:crypto';
import { randomAlphanumeric } from './random.js';
import type { StateFailure } from './errors.js';

/** What the store needs of the database: TypeORM's `DataSource` (or a `pg` pool wrapper) fits. */
export interface StateDatabase {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export type PendingKind = 'login' | 'logout';

export interface PendingBinding {
  readonly tenantId: string;
  /** SHA-256 (hex) of the caller's browser binding. */
  readonly bindingHash: string;
  readonly issuer: string;
  readonly clientId: string;
}

export interface NewPendingRequest extends PendingBinding {
  readonly kind: PendingKind;
  readonly redirectUri: string;
  readonly purpose: string;
  readonly nonce: string | null;
  readonly scope: string | null;
}

export interface PendingRequest extends NewPendingRequest {
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export type ConsumeResult = { ok: true; pending: PendingRequest } | { ok: false; failure: StateFailure };

export interface StateStoreOptions {
  readonly ttlMs: number;
  /** Pending requests kept per (tenant, browser binding); older ones are dropped. */
  readonly maxPendingPerBinding: number;
}

/** The request passport hands to the store: our shim carries the attempt's context. */
export interface StoreRequest {
  readonly fcplat: StoreContext;
}

export interface StoreContext {
  readonly binding: PendingBinding;
  readonly purpose: string;
  readonly scope: string;
  /** Set by `store()`: when the new pending login expires. */
  expiresAt?: Date;
  /** Set by `verify()`: the consumed pending login, or why there was none. */
  consumed?: ConsumeResult;
  /** Ends the attempt when passport's own code throws inside a store callback (never an unhandled rejection). */
  abort(error: unknown): void;
}

interface Row {
  kind: PendingKind;
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
  expired: boolean;
}

const STATE = /^[0-9A-Za-z]{32,128}$/;
const COLUMNS = 'kind, tenant_id, binding_hash, issuer, client_id, redirect_uri, purpose, nonce, scope, created_at, expires_at, consumed_at';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function rowsOf(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : [];
}

function toPending(row: Row): PendingRequest {
  return {
    kind: row.kind,
    tenantId: row.tenant_id,
    bindingHash: row.binding_hash,
    issuer: row.issuer,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    purpose: row.purpose,
    nonce: row.nonce,
    scope: row.scope,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}

export class PendingStateStore {
  constructor(
    private readonly db: StateDatabase,
    private readonly options: StateStoreOptions,
  ) {}

  /** Stores a pending request under a fresh `state`; returns the state and its expiry. */
  async create(request: NewPendingRequest): Promise<{ state: string; expiresAt: Date }> {
    const state = randomAlphanumeric(43);
    const rows = rowsOf(
      await this.db.query(
        `INSERT INTO franceconnect_state (state_hash, kind, tenant_id, binding_hash, issuer, client_id, redirect_uri, purpose, nonce, scope, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11::double precision))
         RETURNING ${COLUMNS}, false AS expired`,
        [
          sha256Hex(state),
          request.kind,
          request.tenantId,
          request.bindingHash,
          request.issuer,
          request.clientId,
          request.redirectUri,
          request.purpose,
          request.nonce,
          request.scope,
          this.options.ttlMs / 1000,
        ],
      ),
    );
    const row = rows[0];
    if (!row) throw new Error('franceconnect_state insert returned no row');
    // Several pending at once are fine; thousands for one browser are not (a cheap flood guard).
    await this.db.query(
      `DELETE FROM franceconnect_state WHERE id IN (
         SELECT id FROM franceconnect_state
         WHERE tenant_id = $1 AND binding_hash = $2 AND consumed_at IS NULL
         ORDER BY created_at DESC, id OFFSET $3)`,
      [request.tenantId, request.bindingHash, this.options.maxPendingPerBinding],
    );
    return { state, expiresAt: new Date(row.expires_at) };
  }

  /**
   * Consumes the pending request of `state` if, and only if, it is of this kind, tenant, browser,
   * issuer and client, unexpired and unused. One UPDATE decides (single use under races); when it
   * finds nothing, a read tells why (for logs and tests; the caller answers the same way).
   */
  async consume(kind: PendingKind, state: string | undefined, binding: PendingBinding): Promise<ConsumeResult> {
    if (state === undefined || state === '') return { ok: false, failure: 'missing' };
    if (!STATE.test(state)) return { ok: false, failure: 'malformed' };
    const stateHash = sha256Hex(state);
    const consumed = rowsOf(
      await this.db.query(
        `WITH consumed AS (
           UPDATE franceconnect_state SET consumed_at = now()
           WHERE state_hash = $1 AND kind = $2 AND tenant_id = $3 AND binding_hash = $4 AND issuer = $5 AND client_id = $6
             AND consumed_at IS NULL AND expires_at > now()
           RETURNING ${COLUMNS})
         SELECT *, false AS expired FROM consumed`,
        [stateHash, kind, binding.tenantId, binding.bindingHash, binding.issuer, binding.clientId],
      ),
    );
    const row = consumed[0];
    if (row) return { ok: true, pending: toPending(row) };
    const found = rowsOf(await this.db.query(`SELECT ${COLUMNS}, expires_at <= now() AS expired FROM franceconnect_state WHERE state_hash = $1`, [stateHash]))[0];
    if (!found || found.kind !== kind) return { ok: false, failure: 'unknown' };
    if (found.tenant_id !== binding.tenantId) return { ok: false, failure: 'foreign_tenant' };
    if (found.binding_hash !== binding.bindingHash) return { ok: false, failure: 'foreign_binding' };
    if (found.issuer !== binding.issuer || found.client_id !== binding.clientId) return { ok: false, failure: 'foreign_client' };
    if (found.consumed_at !== null) return { ok: false, failure: 'used' };
    if (found.expired) return { ok: false, failure: 'expired' };
    return { ok: false, failure: 'unknown' };
  }

  /** Deletes rows expired for more than `graceMs` (kept a while so a replay is reported as such). */
  async purgeExpired(graceMs = 60 * 60 * 1000, limit = 5000): Promise<number> {
    const result = await this.db.query(
      `WITH doomed AS (
         SELECT id FROM franceconnect_state WHERE expires_at < now() - make_interval(secs => $1::double precision) LIMIT $2)
       , deleted AS (DELETE FROM franceconnect_state WHERE id IN (SELECT id FROM doomed) RETURNING 1)
       SELECT count(*)::int AS count FROM deleted`,
      [graceMs / 1000, limit],
    );
    const first: unknown = Array.isArray(result) ? result[0] : undefined;
    return typeof first === 'object' && first !== null && typeof (first as { count?: unknown }).count === 'number' ? (first as { count: number }).count : 0;
  }

  // ------------------------------------------------------------ passport-openidconnect store API

  /** passport-openidconnect: stores the pending login (its `ctx.nonce` is ours) and yields the `state`. */
  store(req: StoreRequest, ctx: { nonce?: unknown }, _appState: unknown, meta: { callbackURL?: unknown }, cb: (err: Error | null, state?: string) => void): void {
    const context = req.fcplat;
    const nonce = typeof ctx.nonce === 'string' ? ctx.nonce : '';
    if (!STATE.test(nonce) || typeof meta.callbackURL !== 'string') {
      cb(new Error('franceconnect: a 32+ character nonce and a callback URL are required'));
      return;
    }
    this.create({ ...context.binding, kind: 'login', redirectUri: meta.callbackURL, purpose: context.purpose, nonce, scope: context.scope })
      .then(
        ({ state, expiresAt }) => {
          context.expiresAt = expiresAt;
          cb(null, state);
        },
        (error: unknown) => cb(error instanceof Error ? error : new Error('franceconnect_state insert failed')),
      )
      .catch((error: unknown) => context.abort(error));
  }

  /** passport-openidconnect: consumes the pending login of `handle`; `ctx.nonce` is then checked by passport and by us. */
  verify(req: StoreRequest, handle: unknown, cb: (err: Error | null, ctx?: { nonce: string } | false, info?: unknown) => void): void {
    const context = req.fcplat;
    this.consume('login', typeof handle === 'string' ? handle : undefined, context.binding)
      .then(
        (result) => {
          context.consumed = result;
          if (!result.ok || result.pending.nonce === null) cb(null, false, { message: 'Invalid authorization request state.' });
          else cb(null, { nonce: result.pending.nonce }, { purpose: result.pending.purpose });
        },
        (error: unknown) => cb(error instanceof Error ? error : new Error('franceconnect_state lookup failed')),
      )
      .catch((error: unknown) => context.abort(error));
  }
}
