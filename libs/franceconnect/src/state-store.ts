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
import {
  consumeFranceConnectState,
  findFranceConnectState,
  insertFranceConnectState,
  purgeExpiredFranceConnectStates,
  type FranceConnectStateRow,
  type SqlRunner,
} from '@fcplat/db';
import { randomAlphanumeric } from './random.js';
import type { StateFailure } from './errors.js';

/**
 * What the store needs of the database: TypeORM's `DataSource` fits. The SQL itself is the query
 * module of `franceconnect_state` in `@fcplat/db`.
 */
export type StateDatabase = SqlRunner;

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

const STATE = /^[0-9A-Za-z]{32,128}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function toPending(row: FranceConnectStateRow): PendingRequest {
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
    const row = await insertFranceConnectState(
      this.db,
      {
        stateHash: sha256Hex(state),
        kind: request.kind,
        tenantId: request.tenantId,
        bindingHash: request.bindingHash,
        issuer: request.issuer,
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        purpose: request.purpose,
        nonce: request.nonce,
        scope: request.scope,
        ttlSeconds: this.options.ttlMs / 1000,
      },
      // Several pending at once are fine; thousands for one browser are not (a cheap flood guard).
      this.options.maxPendingPerBinding,
    );
    if (!row) throw new Error('franceconnect_state insert returned no row');
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
    const row = await consumeFranceConnectState(this.db, { stateHash, kind, tenantId: binding.tenantId, bindingHash: binding.bindingHash, issuer: binding.issuer, clientId: binding.clientId });
    if (row) return { ok: true, pending: toPending(row) };
    const found = await findFranceConnectState(this.db, stateHash);
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
    return purgeExpiredFranceConnectStates(this.db, graceMs / 1000, limit);
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
