/**
 * What the stand-in saw, for tests and the benchmark: one entry per request to a data route. It
 * never holds a token (only its `jti`, or `fc:` + the first 12 hex digits of the FranceConnect
 * token's SHA-256) nor any identity parameter. Bounded: past its capacity the oldest entry goes.
 */
import type { Modality } from './catalogue.js';
import type { FaultKind } from './faults.js';

export interface JournalEntry {
  /** Arrival, epoch ms (the service's clock). */
  readonly at: number;
  readonly ip: string;
  /** The route's path, without query. */
  readonly route: string;
  readonly modality: Modality;
  /** The `recipient` query parameter when it is made of digits (a SIRET, valid or not), else null. */
  readonly recipient: string | null;
  /** The API Particulier token's `jti`, `fc:<12 hex>` for a FranceConnect token, or null when unknown. */
  readonly tokenId: string | null;
  /** The `X-Request-Id` header, when printable and at most 200 characters. */
  readonly requestId: string | null;
  /** HTTP status answered; null when no answer was sent (timeout, reset, client gone). */
  readonly status: number | null;
  /** Error code of the answer (`00429`, `37003`…), null for a success or no answer. */
  readonly code: string | null;
  /** The injected fault this request took, if any. */
  readonly fault: FaultKind | null;
}

export const DEFAULT_JOURNAL_SIZE = 200_000;

/**
 * The last `capacity` entries, oldest first, in one array (`list`) that stays the same object for
 * the journal's life, so it can be handed out like recherche-entreprises' `journal`.
 */
export class RequestJournal {
  private readonly store: JournalEntry[] = [];

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('journal capacity must be a positive integer');
  }

  /** The live entries, oldest first (read only: use `record` and `clear`). */
  get list(): readonly JournalEntry[] {
    return this.store;
  }

  get size(): number {
    return this.store.length;
  }

  record(entry: JournalEntry): void {
    this.store.push(entry);
    if (this.store.length > this.capacity) this.store.shift();
  }

  /** Entries oldest first; with `since`, only those that arrived at or after it (epoch ms). */
  entries(since?: number): JournalEntry[] {
    return since === undefined ? [...this.store] : this.store.filter((entry) => entry.at >= since);
  }

  clear(): void {
    this.store.length = 0;
  }
}
