import { onScopeDispose, reactive, shallowRef, watch, type WatchSource } from 'vue';
import { ApiError } from '../api/client';

/**
 * State kept per resource: one entry per key (`tenant:<id>`, `case:<id>`, `pipeline`…) with its
 * data, loading flag and error, shared by every component showing it. A mutation puts the
 * server's answer back with `set()` (or drops dependent entries with `invalidate()`), so two
 * panels of one page never disagree. Logging out clears everything.
 */
export interface Resource<T> {
  readonly key: string;
  data: T | null;
  loading: boolean;
  error: ApiError | null;
  /** When the data was last loaded (ms since epoch), 0 before. */
  loadedAt: number;
}

interface Entry<T> {
  readonly state: Resource<T>;
  loader: () => Promise<T>;
  pending: Promise<void> | null;
}

const entries = new Map<string, Entry<unknown>>();

function entryOf<T>(key: string, loader: () => Promise<T>): Entry<T> {
  let entry = entries.get(key) as Entry<T> | undefined;
  if (!entry) {
    entry = { state: reactive({ key, data: null, loading: false, error: null, loadedAt: 0 }) as Resource<T>, loader, pending: null };
    entries.set(key, entry as Entry<unknown>);
  } else {
    entry.loader = loader;
  }
  return entry;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError({ status: 500, violations: [], reasons: [] });
}

/** (Re)loads a resource; concurrent calls share one request. */
export function load<T>(key: string, loader: () => Promise<T>): Promise<void> {
  const entry = entryOf(key, loader);
  if (entry.pending) return entry.pending;
  entry.state.loading = true;
  entry.pending = entry
    .loader()
    .then((data) => {
      entry.state.data = data;
      entry.state.error = null;
      entry.state.loadedAt = Date.now();
    })
    .catch((error: unknown) => {
      entry.state.error = toApiError(error);
    })
    .finally(() => {
      entry.state.loading = false;
      entry.pending = null;
    });
  return entry.pending;
}

/** Replaces a resource's data with what the server answered to a mutation. */
export function set<T>(key: string, data: T): void {
  const entry = entries.get(key) as Entry<T> | undefined;
  if (!entry) return;
  entry.state.data = data;
  entry.state.error = null;
  entry.state.loadedAt = Date.now();
}

/** Reloads the loaded resources whose key starts with one of `prefixes` (others load when next shown). */
export function invalidate(...prefixes: string[]): void {
  for (const [key, entry] of entries) {
    if (!prefixes.some((prefix) => key.startsWith(prefix))) continue;
    if (entry.state.loadedAt > 0 || entry.state.error) void load(key, entry.loader);
  }
}

/** Forgets every resource (on logout: nothing of one user may show to the next). */
export function clearResources(): void {
  entries.clear();
}

/** Data older than this is shown at once and refreshed in the background when shown again. */
const DEFAULT_MAX_AGE_MS = 30_000;

/**
 * The resource named by `key` for a component: loaded when first shown (and when the key
 * changes), refreshed in the background when shown again after `maxAgeMs`. Returns a getter,
 * since the key may change.
 */
export function useResource<T>(key: WatchSource<string | null>, loader: (key: string) => Promise<T>, maxAgeMs = DEFAULT_MAX_AGE_MS): () => Resource<T> | null {
  const current = shallowRef<Resource<T> | null>(null);
  const stop = watch(
    key,
    (value) => {
      if (value === null) {
        current.value = null;
        return;
      }
      const entry = entryOf(value, () => loader(value));
      current.value = entry.state;
      const stale = entry.state.loadedAt === 0 || Date.now() - entry.state.loadedAt > maxAgeMs;
      if (stale && !entry.pending) void load(value, entry.loader);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  return () => current.value;
}

/** Reloads one resource (the « Réessayer » button of an error state). */
export function reload(key: string): Promise<void> {
  const entry = entries.get(key);
  return entry ? load(key, entry.loader) : Promise.resolve();
}
