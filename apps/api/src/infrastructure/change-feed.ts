import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Client } from 'pg';
import { PinoLogger } from 'nestjs-pino';
import type { PlatformConfig } from '@fcplat/config';
import { CHANGES_CHANNEL, createListenConnection } from '@fcplat/db';
import { PLATFORM_CONFIG } from './tokens.js';

/** A committed change to a notified table (`libs/db`'s ChangeNotifications migration). */
export interface TableChange {
  readonly table: string;
  /** The key column's value: a tenant id, or a user id for `api_token` and `app_user`. */
  readonly key: string;
}

export interface ChangeListener {
  changed(change: TableChange): void;
  /** Notifications may have been missed (the connection dropped): forget everything. */
  reset(): void;
}

const RECONNECT_MS = 1_000;
/** A catch-up that takes longer means the connection is unwell: it is treated as lost. */
const CATCH_UP_TIMEOUT_MS = 2_000;

/**
 * This replica's ear on PostgreSQL's change notifications (`LISTEN fcplat_changes` on a
 * connection of its own): triggers announce every committed change of the tables the API caches
 * (a tenant's FranceConnect settings, API tokens), whichever replica or tool made it, and the
 * caches registered here drop what the change touches.
 *
 * While the connection is down, notifications would be missed: listeners are reset, {@link live}
 * is false (caches then read PostgreSQL every time instead of serving what they hold) and the
 * connection is retried every second; back up, listeners are reset once more (anything loaded
 * in between is forgotten) before {@link live} turns true again. So a cache never serves a value
 * older than the last change it could have heard of; the window is the delivery of one
 * notification after a commit (milliseconds).
 *
 * That window is closed for this replica's own writes by {@link caughtUp}, which every mutating
 * request awaits before it answers (`ChangesCaughtUpInterceptor`): a token revoked, a portal
 * suspended through this replica is never served from its cache afterwards, even by the very next
 * request.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly listeners = new Set<ChangeListener>();
  private client: Client | null = null;
  private connected = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  /** A channel only this replica listens to, for {@link caughtUp}'s markers. */
  private readonly markerChannel = `fcplat_caught_up_${randomBytes(8).toString('hex')}`;
  private markers = 0;
  /** Catch-ups waiting for their marker, by marker. */
  private readonly awaitingMarkers = new Map<string, () => void>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('ChangeFeed');
  }

  /** Whether notifications are being received: caches may serve what they hold only then. */
  get live(): boolean {
    return this.connected;
  }

  register(listener: ChangeListener): void {
    this.listeners.add(listener);
  }

  async onModuleInit(): Promise<void> {
    // Without notifications (`DATABASE_CHANGE_NOTIFICATIONS=false`) the feed is never live: caches read through.
    if (this.config.database.changeNotifications) await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.connected = false;
    await this.client?.end().catch(() => undefined);
  }

  /** The PostgreSQL backend pid of the listening connection (tests terminate it), or null. */
  async backendPid(): Promise<number | null> {
    if (!this.client || !this.connected) return null;
    const { rows } = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid ?? null;
  }

  /**
   * Resolves once this replica has heard every change committed before the call (its own writes
   * included): it sends a marker on a channel of its own and waits for it. PostgreSQL delivers the
   * notifications of different transactions in commit order, so the marker comes after every
   * change committed earlier, and listeners have handled those by the time it arrives. Without a
   * live connection there is nothing to wait for (caches read through); a marker not back within
   * {@link CATCH_UP_TIMEOUT_MS} is treated as a lost connection (caches emptied, reconnection).
   */
  async caughtUp(): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return;
    this.markers += 1;
    const marker = String(this.markers);
    const heard = new Promise<boolean>((resolve) => this.awaitingMarkers.set(marker, () => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CATCH_UP_TIMEOUT_MS);
    });
    try {
      await client.query('SELECT pg_notify($1, $2)', [this.markerChannel, marker]);
      if (!(await Promise.race([heard, timedOut]))) {
        this.logger.warn('change notifications late; caches emptied, reconnecting');
        this.lost(client);
      }
    } catch {
      this.lost(client);
    } finally {
      clearTimeout(timer);
      this.awaitingMarkers.delete(marker);
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = await createListenConnection(this.config.database, { applicationName: 'fcplat-api-changes' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === this.markerChannel) {
        this.awaitingMarkers.get(message.payload ?? '')?.();
        return;
      }
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      const index = message.payload.indexOf(':');
      if (index <= 0) return;
      const change = { table: message.payload.slice(0, index), key: message.payload.slice(index + 1) };
      for (const listener of this.listeners) listener.changed(change);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      await client.query(`LISTEN ${this.markerChannel}`);
    } catch (error) {
      this.logger.warn({ code: (error as { code?: unknown }).code ?? 'unknown' }, 'change notifications unavailable; caches bypassed until they are back');
      this.lost(client);
      return;
    }
    if (this.client !== client) return;
    this.resetAll();
    this.connected = true;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    this.resetAll();
    // Caches are empty and read through now: nothing a catch-up waits for can be served stale.
    for (const release of this.awaitingMarkers.values()) release();
    client.end().catch(() => undefined);
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    this.retry.unref();
  }

  private resetAll(): void {
    for (const listener of this.listeners) listener.reset();
  }
}

export interface InvalidatedCacheOptions {
  /** Tables whose changes drop the entries of the changed key. */
  readonly tables: readonly string[];
  readonly maxEntries: number;
  /** A safety net only: changes are what keeps entries true. */
  readonly ttlMs: number;
}

/** A value as a load returns it, with the notified key (a tenant id, a user id) it depends on. */
export interface Loaded<V> {
  readonly value: V;
  readonly dependsOn: string;
}

interface Entry<V> {
  readonly value: V;
  /** The keys (as notified: a tenant id, a user id) this value depends on. */
  readonly dependsOn: string;
  readonly expiresAt: number;
}

/**
 * A bounded, per-process cache invalidated across replicas through the {@link ChangeFeed}: an
 * entry depends on one notified key (a tenant id, a user id) and goes when a change of that key in
 * one of `tables` is announced, when the feed is reset, or after `ttlMs`. It serves only while the
 * feed is live. A load that an invalidation overtook (the change committed while the value was
 * being read) is returned but not kept. Least recently used entries go first beyond `maxEntries`.
 */
export class InvalidatedCache<K, V> implements ChangeListener {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly tables: ReadonlySet<string>;
  /** Bumped by every invalidation: a load started before one is not kept. */
  private generation = 0;

  constructor(
    private readonly feed: Pick<ChangeFeed, 'live' | 'register'>,
    private readonly options: InvalidatedCacheOptions,
  ) {
    this.tables = new Set(options.tables);
    feed.register(this);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value of `key`, or `load()`'s (kept unless null or overtaken by a change). `load`
   * returns the value and the notified key it depends on.
   */
  get(key: K, load: (key: K) => Promise<Loaded<V>>): Promise<V>;
  get(key: K, load: (key: K) => Promise<Loaded<V> | null>): Promise<V | null>;
  async get(key: K, load: (key: K) => Promise<Loaded<V> | null>): Promise<V | null> {
    const now = Date.now();
    if (this.feed.live) {
      const entry = this.entries.get(key);
      if (entry && entry.expiresAt > now) {
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.value;
      }
      if (entry) this.entries.delete(key);
    }
    const generation = this.generation;
    const wasLive = this.feed.live;
    const loaded = await load(key);
    if (!loaded) return null;
    if (wasLive && this.feed.live && generation === this.generation) {
      this.entries.set(key, { value: loaded.value, dependsOn: loaded.dependsOn, expiresAt: now + this.options.ttlMs });
      while (this.entries.size > this.options.maxEntries) {
        const oldest = this.entries.keys().next();
        if (oldest.done) break;
        this.entries.delete(oldest.value);
      }
    }
    return loaded.value;
  }

  changed(change: TableChange): void {
    if (!this.tables.has(change.table)) return;
    this.generation += 1;
    for (const [key, entry] of this.entries) if (entry.dependsOn === change.key) this.entries.delete(key);
  }

  reset(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
