/**
 * Fault injection (sandbox only): make the next matching requests fail like a real outage would.
 * - `status`: answer 500, 502, 503, 504 or 409 with the API's error body;
 * - `latency`: wait `latencyMs`, then answer normally;
 * - `timeout`: never answer (the socket stays open until the client gives up or the server stops);
 * - `reset`: destroy the connection without answering.
 * - `data`: answer normally, but with the top-level keys of `data` replaced in a 200's `data` block
 *   (`{ "adresse": null }`: the upstream drifting from its schema); error answers are untouched.
 * A fault applies to the next `count` matching requests, or to a `ratio` of them (every 1/ratio-th
 * one, deterministically) until cleared, or both (a ratio of them, `count` times at most); with
 * neither, to the next one. Faults are tried in the order they were added; a request takes at most
 * one. Matching: the path starts with `pathPrefix`, and `recipient` equals the query's, when given.
 */
import { randomUUID } from 'node:crypto';

export const FAULT_KINDS = ['status', 'latency', 'timeout', 'reset', 'data'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_STATUSES = [500, 502, 503, 504, 409] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export const MAX_LATENCY_MS = 120_000;
const MAX_COUNT = 1_000_000;
const MAX_FAULTS = 100;
const MAX_DATA_BYTES = 16 * 1024;
const FIELDS: ReadonlySet<string> = new Set(['kind', 'status', 'latencyMs', 'data', 'count', 'ratio', 'pathPrefix', 'recipient']);

export interface FaultSpec {
  readonly kind: FaultKind;
  readonly status?: FaultStatus;
  readonly latencyMs?: number;
  /** `data` faults: top-level keys replacing those of a 200's `data` block. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly count?: number;
  readonly ratio?: number;
  readonly pathPrefix?: string;
  readonly recipient?: string;
}

export interface FaultView extends FaultSpec {
  readonly id: string;
  /** Faulted requests left, or null (a ratio without count: until cleared). */
  readonly remaining: number | null;
  /** Matching requests seen, and how many were faulted. */
  readonly matched: number;
  readonly applied: number;
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an admin request body (unknown fields refused). */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (!isRecord(body)) throw new FaultSpecError('the body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw new FaultSpecError(`unknown field(s): ${unknown.join(', ')}`);
  const { kind, status, latencyMs, data, count, ratio, pathPrefix, recipient } = body;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = { kind: kind as FaultKind };
  if (kind === 'status') {
    if (typeof status !== 'number' || !(FAULT_STATUSES as readonly number[]).includes(status)) {
      throw new FaultSpecError(`status must be one of ${FAULT_STATUSES.join(', ')} for a status fault`);
    }
    spec.status = status as FaultStatus;
  } else if (status !== undefined) {
    throw new FaultSpecError('status only goes with kind "status"');
  }
  if (kind === 'latency') {
    if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 1 || latencyMs > MAX_LATENCY_MS) {
      throw new FaultSpecError(`latencyMs must be an integer between 1 and ${MAX_LATENCY_MS} for a latency fault`);
    }
    spec.latencyMs = latencyMs;
  } else if (latencyMs !== undefined) {
    throw new FaultSpecError('latencyMs only goes with kind "latency"');
  }
  if (kind === 'data') {
    if (!isRecord(data) || Object.keys(data).length === 0 || JSON.stringify(data).length > MAX_DATA_BYTES) {
      throw new FaultSpecError(`data must be a non-empty JSON object of at most ${MAX_DATA_BYTES} bytes for a data fault`);
    }
    spec.data = data;
  } else if (data !== undefined) {
    throw new FaultSpecError('data only goes with kind "data"');
  }
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new FaultSpecError(`count must be an integer between 1 and ${MAX_COUNT}`);
    spec.count = count;
  }
  if (ratio !== undefined) {
    if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= 1)) throw new FaultSpecError('ratio must be a number in ]0, 1]');
    spec.ratio = ratio;
  }
  if (pathPrefix !== undefined) {
    if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/') || pathPrefix.length > 200) throw new FaultSpecError('pathPrefix must be a path starting with /');
    spec.pathPrefix = pathPrefix;
  }
  if (recipient !== undefined) {
    if (typeof recipient !== 'string' || recipient === '' || recipient.length > 32) throw new FaultSpecError('recipient must be a non-empty string (a SIRET)');
    spec.recipient = recipient;
  }
  return spec;
}

interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  remaining: number | null;
  matched: number;
  applied: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): FaultView {
    if (this.faults.length >= MAX_FAULTS) throw new FaultSpecError(`at most ${MAX_FAULTS} faults at once: clear them first`);
    const fault: ActiveFault = {
      id: randomUUID(),
      spec,
      remaining: spec.count ?? (spec.ratio === undefined ? 1 : null),
      matched: 0,
      applied: 0,
    };
    this.faults.push(fault);
    return view(fault);
  }

  list(): FaultView[] {
    return this.faults.map(view);
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault this request takes, if any (its counters move). */
  take(path: string, recipient: string | null): FaultSpec | undefined {
    for (const fault of this.faults) {
      const { pathPrefix, recipient: only, ratio } = fault.spec;
      if (pathPrefix !== undefined && !path.startsWith(pathPrefix)) continue;
      if (only !== undefined && only !== recipient) continue;
      fault.matched += 1;
      const selected = ratio === undefined || Math.floor(fault.matched * ratio) > Math.floor((fault.matched - 1) * ratio);
      if (!selected) continue;
      fault.applied += 1;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining === 0) this.faults = this.faults.filter((other) => other !== fault);
      }
      return fault.spec;
    }
    return undefined;
  }
}

function view(fault: ActiveFault): FaultView {
  return { id: fault.id, ...fault.spec, remaining: fault.remaining, matched: fault.matched, applied: fault.applied };
}
