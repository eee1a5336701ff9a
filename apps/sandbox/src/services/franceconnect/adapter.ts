import type { Adapter, AdapterPayload } from 'oidc-provider';
import { oidcClientMetadata, type ClientRegistry } from './clients.js';

/** Models whose records belong to a grant (revoked together at logout or on code reuse). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

interface Entry {
  readonly payload: AdapterPayload;
  readonly expiresAt: number;
}

/**
 * The provider's state (sessions, interactions, codes, tokens, grants) in memory, shared by the
 * provider instances of one service (one per public host), bounded in size and swept of expired
 * records as it goes, so a long benchmark does not grow memory without bound.
 */
export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #sessionUids = new Map<string, string>();
  readonly #grantMembers = new Map<string, Set<string>>();
  #writes = 0;

  constructor(private readonly maxEntries = 200_000) {}

  get size(): number {
    return this.#entries.size;
  }

  find(model: string, id: string): AdapterPayload | undefined {
    const key = `${model}:${id}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#remove(key);
      return undefined;
    }
    return entry.payload;
  }

  findSessionByUid(uid: string): AdapterPayload | undefined {
    const id = this.#sessionUids.get(uid);
    return id === undefined ? undefined : this.find('Session', id);
  }

  upsert(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = `${model}:${id}`;
    this.#remove(key);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.#entries.set(key, { payload, expiresAt });
    if (model === 'Session' && typeof payload.uid === 'string') this.#sessionUids.set(payload.uid, id);
    if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
      const members = this.#grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grantMembers.set(payload.grantId, members);
    }
    this.#writes += 1;
    if (this.#writes % 1000 === 0) this.sweep();
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  consume(model: string, id: string): void {
    const entry = this.#entries.get(`${model}:${id}`);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  destroy(model: string, id: string): void {
    this.#remove(`${model}:${id}`);
  }

  revokeByGrantId(grantId: string): void {
    const members = this.#grantMembers.get(grantId);
    if (!members) return;
    this.#grantMembers.delete(grantId);
    for (const key of members) this.#remove(key);
  }

  /** Drops every expired record. */
  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#remove(key);
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const { payload } = entry;
    if (key.startsWith('Session:') && typeof payload.uid === 'string' && this.#sessionUids.get(payload.uid) === key.slice('Session:'.length)) {
      this.#sessionUids.delete(payload.uid);
    }
    if (typeof payload.grantId === 'string') {
      const members = this.#grantMembers.get(payload.grantId);
      members?.delete(key);
      if (members && members.size === 0) this.#grantMembers.delete(payload.grantId);
    }
  }
}

/** oidc-provider's adapter factory: clients come from the registry, the rest from the store. */
export function adapterFactory(store: MemoryStore, registry: ClientRegistry): (model: string) => Adapter {
  return (model) => {
    if (model === 'Client') {
      return {
        find: async (id) => {
          const client = registry.get(id);
          return client ? (oidcClientMetadata(client) as AdapterPayload) : undefined;
        },
        upsert: async () => {
          throw new Error('Clients are registered through the sandbox admin API');
        },
        findByUid: async () => undefined,
        findByUserCode: async () => undefined,
        consume: async () => undefined,
        destroy: async () => undefined,
        revokeByGrantId: async () => undefined,
      };
    }
    return {
      find: async (id) => store.find(model, id),
      findByUid: async (uid) => (model === 'Session' ? store.findSessionByUid(uid) : undefined),
      findByUserCode: async () => undefined,
      upsert: async (id, payload, expiresIn) => store.upsert(model, id, payload, expiresIn),
      consume: async (id) => store.consume(model, id),
      destroy: async (id) => store.destroy(model, id),
      revokeByGrantId: async (grantId) => store.revokeByGrantId(grantId),
    };
  };
}
