/**
 * The call log (`api_particulier_call`): traceability of every call (SR-36) and the source of truth
 * of the queue. A call is a row first; jobs only name rows. State machine:
 *
 *   queued ──dispatch──▶ dispatched ──claim──▶ running ──▶ succeeded | failed
 *                          ▲    ▲                 │
 *                          │    └── 429 (no attempt)┤
 *                          └──── retrying ◀─────────┘ (5xx, timeout, 409: backoff)
 *
 * Claims are leases: a second delivery of the same job while the first runs is refused, and one
 * whose worker died is taken over when the lease expires. Ending a call erases its inputs.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CallSummary, PivotIdentity } from '@fcplat/api-particulier';
import type { SecretBox } from '@fcplat/crypto';
import type { ApiParticulierApi, CallModality, CallStatus } from '@fcplat/domain';
import { recordNotificationEvent } from '@fcplat/db';
import { CALL_INPUT_FIELD, CALL_RESULT_FIELD } from './secret-fields.js';

export { CALL_STATUSES, type CallStatus } from '@fcplat/domain';

/** The error after which nobody knows whether API Particulier received the call (no answer in time). */
const AMBIGUOUS_ERROR = 'APIP_TIMEOUT';
export const FINAL_STATUSES: readonly CallStatus[] = ['succeeded', 'failed'];
export type CallOrigin = 'citizen' | 'batch' | 'staff';
export type CallEnvironment = 'sandbox' | 'staging' | 'production' | 'custom';

/** What the call needs, stored encrypted until the call ends. */
export type CallInput =
  | { readonly modality: 'pivot_identity'; readonly identity: PivotIdentity }
  | { readonly modality: 'ine'; readonly ine: string }
  | { readonly modality: 'france_connect'; readonly franceConnectAccessToken: string };

export interface NewCall {
  readonly tenantId: string;
  readonly recipient: string;
  readonly environment: CallEnvironment;
  readonly api: ApiParticulierApi;
  readonly input: CallInput;
  readonly origin: CallOrigin;
  /** `citizen:<id>`, `account:<id>`: who asked (no name, no e-mail). */
  readonly triggeredBy: string;
  readonly batch?: { readonly id: string; readonly line: number; readonly reference: string | null };
  /** 0: someone is waiting (citizen); 1: background (batches). */
  readonly priority: 0 | 1;
  /** FranceConnect modality: the access token's end of life. */
  readonly franceConnectTokenExpiresAt?: Date;
}

/** What names a call and what it asks for: the first columns of its record and of its claimable row. */
export interface CallRequest {
  readonly id: string;
  readonly tenantId: string;
  readonly recipient: string;
  readonly environment: CallEnvironment;
  readonly api: ApiParticulierApi;
  readonly modality: CallModality;
}

function callRequestOf(row: Record<string, unknown>): CallRequest {
  return {
    id: row['id'] as string,
    tenantId: row['tenant_id'] as string,
    recipient: row['recipient'] as string,
    environment: row['environment'] as CallEnvironment,
    api: row['api'] as ApiParticulierApi,
    modality: row['modality'] as CallModality,
  };
}

export interface CallRecord extends CallRequest {
  readonly origin: CallOrigin;
  readonly triggeredBy: string;
  readonly batchId: string | null;
  readonly batchLine: number | null;
  readonly dossierReference: string | null;
  readonly status: CallStatus;
  readonly httpStatus: number | null;
  readonly errorCode: string | null;
  readonly upstreamCode: string | null;
  readonly latencyMs: number | null;
  readonly attempts: number;
  readonly rateLimited: number;
  /** Attempts whose outcome upstream is unknown (timeout after sending, worker died mid-call). */
  readonly ambiguousAttempts: number;
  /** A 200 that departed from the documented shape outside what the product reads (result kept). */
  readonly schemaDrift: string | null;
  readonly queuedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly hasResult: boolean;
}

export const CALL_COLUMNS = `c.id, c.tenant_id, c.recipient, c.environment, c.api, c.modality, c.origin, c.triggered_by, c.batch_id, c.batch_line,
  c.dossier_reference, c.status, c.http_status, c.error_code, c.upstream_code, c.latency_ms, c.attempts, c.rate_limited,
  c.ambiguous_attempts, c.schema_drift, c.queued_at, c.started_at, c.finished_at, (c.result_ciphertext IS NOT NULL AND c.result_expires_at > now()) AS has_result`;

export function toRecord(row: Record<string, unknown>): CallRecord {
  return {
    ...callRequestOf(row),
    origin: row['origin'] as CallOrigin,
    triggeredBy: row['triggered_by'] as string,
    batchId: (row['batch_id'] as string | null) ?? null,
    batchLine: (row['batch_line'] as number | null) ?? null,
    dossierReference: (row['dossier_reference'] as string | null) ?? null,
    status: row['status'] as CallStatus,
    httpStatus: (row['http_status'] as number | null) ?? null,
    errorCode: (row['error_code'] as string | null) ?? null,
    upstreamCode: (row['upstream_code'] as string | null) ?? null,
    latencyMs: (row['latency_ms'] as number | null) ?? null,
    attempts: row['attempts'] as number,
    rateLimited: row['rate_limited'] as number,
    ambiguousAttempts: (row['ambiguous_attempts'] as number | undefined) ?? 0,
    schemaDrift: (row['schema_drift'] as string | null | undefined) ?? null,
    queuedAt: row['queued_at'] as Date,
    startedAt: (row['started_at'] as Date | null) ?? null,
    finishedAt: (row['finished_at'] as Date | null) ?? null,
    hasResult: Boolean(row['has_result']),
  };
}

/** The row as the processor needs it (inputs still encrypted). */
export interface ClaimableCall extends CallRequest {
  readonly status: CallStatus;
  readonly attempts: number;
  readonly leaseUntil: Date | null;
  readonly fcTokenExpiresAt: Date | null;
  readonly inputCiphertext: string | null;
}

export interface CallOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly httpStatus: number | null;
  readonly errorCode: string | null;
  readonly upstreamCode: string | null;
  readonly latencyMs: number | null;
  readonly summary?: CallSummary;
  /** A success whose answer drifted from the documented shape (the result is kept). */
  readonly schemaDrift?: string | null;
}

export class CallLedger {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly resultRetentionDays: number,
  ) {}

  /** Inserts calls in the caller's transaction; returns their ids in order. */
  async insert(manager: EntityManager, calls: readonly NewCall[]): Promise<string[]> {
    const ids: string[] = [];
    const CHUNK = 500;
    for (let start = 0; start < calls.length; start += CHUNK) {
      const chunk = calls.slice(start, start + CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((call, index) => {
        const b = index * 14;
        values.push(
          call.tenantId,
          call.recipient,
          call.environment,
          call.api,
          call.input.modality,
          call.origin,
          call.triggeredBy,
          call.batch?.id ?? null,
          call.batch?.line ?? null,
          call.batch?.reference ?? null,
          call.priority,
          this.box.encrypt(JSON.stringify(call.input), { tenantId: call.tenantId, field: CALL_INPUT_FIELD }),
          call.franceConnectTokenExpiresAt ?? null,
          'queued',
        );
        return `(${Array.from({ length: 14 }, (_, i) => `$${b + i + 1}`).join(', ')})`;
      });
      const rows = (await manager.query(
        `INSERT INTO api_particulier_call (tenant_id, recipient, environment, api, modality, origin, triggered_by, batch_id, batch_line,
           dossier_reference, priority, input_ciphertext, fc_token_expires_at, status)
         VALUES ${tuples.join(', ')} RETURNING id`,
        values,
      )) as { id: string }[];
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  async load(callId: string): Promise<ClaimableCall | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, tenant_id, recipient, environment, api, modality, status, attempts, lease_until, fc_token_expires_at, input_ciphertext
         FROM api_particulier_call WHERE id = $1`,
      [callId],
    )) as Record<string, unknown>[];
    const row = rows[0];
    if (!row) return null;
    return {
      ...callRequestOf(row),
      status: row['status'] as CallStatus,
      attempts: row['attempts'] as number,
      leaseUntil: (row['lease_until'] as Date | null) ?? null,
      fcTokenExpiresAt: (row['fc_token_expires_at'] as Date | null) ?? null,
      inputCiphertext: (row['input_ciphertext'] as string | null) ?? null,
    };
  }

  decryptInput(call: Pick<ClaimableCall, 'tenantId' | 'inputCiphertext'>): CallInput | null {
    if (!call.inputCiphertext) return null;
    return JSON.parse(this.box.decrypt(call.inputCiphertext, { tenantId: call.tenantId, field: CALL_INPUT_FIELD })) as CallInput;
  }

  /**
   * Takes the call for one attempt, recorded before the request leaves (attempt + 1): only when it
   * has not ended and nobody holds a live lease. Taking over a `running` call whose lease expired
   * (its worker died mid-call, perhaps after the request reached API Particulier) counts an
   * ambiguous attempt. Returns the attempt number, or null when another run holds it or it has ended.
   */
  async claim(callId: string, leaseMs: number): Promise<number | null> {
    const rows = (await this.dataSource.query(
      `UPDATE api_particulier_call
          SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()),
              ambiguous_attempts = ambiguous_attempts + CASE WHEN status = 'running' THEN 1 ELSE 0 END,
              lease_until = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
        WHERE id = $1 AND (status IN ('queued', 'dispatched', 'retrying') OR (status = 'running' AND lease_until < now()))
        RETURNING attempts`,
      [callId, leaseMs],
    )) as unknown;
    return returningRows<{ attempts: number }>(rows)[0]?.attempts ?? null;
  }

  /**
   * The heartbeat of a running attempt: extends its lease while the request is under way, so a
   * short lease (seconds) is enough and a dead worker's call is taken over within seconds.
   * False when the attempt no longer holds the call.
   */
  async renewLease(callId: string, attempt: number, leaseMs: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE api_particulier_call SET lease_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND status = 'running' AND attempts = $2
        RETURNING id`,
      [callId, attempt, leaseMs],
    )) as unknown;
    return affected(rows) > 0;
  }

  /**
   * Ends the call: outcome recorded, inputs erased, the useful result kept encrypted for a while.
   * A success always lands (even over a failure another run recorded meanwhile: the upstream has
   * answered 200, the call is not failed); a failure only while `attempt` (when given) still holds
   * the call. A client timeout counts as an ambiguous attempt.
   */
  async finish(call: Pick<ClaimableCall, 'id' | 'tenantId'>, outcome: CallOutcome, attempt?: number): Promise<boolean> {
    const result = outcome.summary ? this.box.encrypt(JSON.stringify(outcome.summary), { tenantId: call.tenantId, field: CALL_RESULT_FIELD }) : null;
    // One transaction: the call's end and, when it was its batch's last open call, the batch's
    // « Lot terminé » notification (docs/notifications.md) commit together.
    return this.dataSource.transaction(async (manager) => {
      const rows = returningRows(
        await manager.query(
          `UPDATE api_particulier_call
              SET status = $2, http_status = $3, error_code = $4, upstream_code = $5, latency_ms = coalesce($6, latency_ms),
                  input_ciphertext = NULL, result_ciphertext = $7,
                  result_expires_at = CASE WHEN $7::text IS NULL THEN NULL ELSE now() + make_interval(days => $8) END,
                  schema_drift = $9, ambiguous_attempts = ambiguous_attempts + CASE WHEN $4 = '${AMBIGUOUS_ERROR}' THEN 1 ELSE 0 END,
                  finished_at = now(), lease_until = NULL, updated_at = now()
            WHERE id = $1
              AND (status NOT IN ('succeeded', 'failed') OR ($2 = 'succeeded' AND status = 'failed'))
              AND ($2 = 'succeeded' OR $10::int IS NULL OR attempts = $10::int)
            RETURNING id, batch_id`,
          [call.id, outcome.status, outcome.httpStatus, outcome.errorCode, outcome.upstreamCode, outcome.latencyMs, result, this.resultRetentionDays, outcome.schemaDrift ?? null, attempt ?? null],
        ),
      ) as { id: string; batch_id: string | null }[];
      const ended = rows[0];
      if (!ended) return false;
      if (ended.batch_id) await recordBatchEndIfLast(manager, ended.batch_id);
      return true;
    });
  }

  /** A retryable failure of `attempt`: the job will come back after its backoff. */
  async retrying(callId: string, attempt: number, failure: { httpStatus: number | null; errorCode: string; upstreamCode: string | null; latencyMs: number | null }): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_particulier_call
          SET status = 'retrying', http_status = $2, error_code = $3, upstream_code = $4, latency_ms = coalesce($5, latency_ms),
              ambiguous_attempts = ambiguous_attempts + CASE WHEN $3 = '${AMBIGUOUS_ERROR}' THEN 1 ELSE 0 END,
              lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status = 'running' AND attempts = $6`,
      [callId, failure.httpStatus, failure.errorCode, failure.upstreamCode, failure.latencyMs, attempt],
    );
  }

  /** A 429: the attempt is given back (SR-33) and the call waits for its turn again. */
  async rateLimited(callId: string, attempt: number, latencyMs: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_particulier_call
          SET status = 'dispatched', attempts = greatest(attempts - 1, 0), rate_limited = rate_limited + 1, http_status = 429,
              latency_ms = coalesce($2, latency_ms), lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status = 'running' AND attempts = $3`,
      [callId, latencyMs, attempt],
    );
  }

  /** The attempt did not leave (its rate limits said wait): given back, the call waits for its turn again. */
  async release(callId: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_particulier_call SET status = 'dispatched', attempts = greatest(attempts - 1, 0), lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status = 'running' AND attempts = $2`,
      [callId, attempt],
    );
  }

  /** The summary kept for a finished call, while retained. */
  async result(tenantId: string, callId: string): Promise<CallSummary | null> {
    const rows = (await this.dataSource.query(
      `SELECT result_ciphertext FROM api_particulier_call WHERE id = $1 AND tenant_id = $2 AND result_expires_at > now()`,
      [callId, tenantId],
    )) as { result_ciphertext: string | null }[];
    const ciphertext = rows[0]?.result_ciphertext;
    return ciphertext ? (JSON.parse(this.box.decrypt(ciphertext, { tenantId, field: CALL_RESULT_FIELD })) as CallSummary) : null;
  }

  decryptResult(tenantId: string, ciphertext: string): CallSummary {
    return JSON.parse(this.box.decrypt(ciphertext, { tenantId, field: CALL_RESULT_FIELD })) as CallSummary;
  }

  async records(ids: readonly string[]): Promise<CallRecord[]> {
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(`SELECT ${CALL_COLUMNS} FROM api_particulier_call c WHERE c.id = ANY($1)`, [ids])) as Record<string, unknown>[];
    const byId = new Map(rows.map((r) => [r['id'] as string, toRecord(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is CallRecord => r !== undefined);
  }

  /**
   * Waits until every call has ended or the deadline passes (polling PostgreSQL, the record of
   * truth; a citizen's page waits on this). Returns the records as they are at that moment.
   */
  async waitForEnd(ids: readonly string[], deadlineMs: number, pollMs = 100): Promise<CallRecord[]> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const records = await this.records(ids);
      const open = records.some((r) => !FINAL_STATUSES.includes(r.status));
      if (!open || Date.now() >= until) return records;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, until - Date.now()))));
    }
  }

  /** Retention (SR-36): results after `resultRetentionDays`, the log after `logRetentionDays`. */
  async purge(logRetentionDays: number): Promise<{ results: number; calls: number; batches: number }> {
    const results = await this.dataSource.query(
      `UPDATE api_particulier_call SET result_ciphertext = NULL, updated_at = now() WHERE result_ciphertext IS NOT NULL AND result_expires_at <= now() RETURNING id`,
    );
    const calls = await this.dataSource.query(
      `DELETE FROM api_particulier_call WHERE finished_at < now() - make_interval(days => $1) RETURNING id`,
      [logRetentionDays],
    );
    const batches = await this.dataSource.query(
      `DELETE FROM api_particulier_batch b WHERE b.created_at < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM api_particulier_call c WHERE c.batch_id = b.id) RETURNING id`,
      [logRetentionDays],
    );
    return { results: affected(results), calls: affected(calls), batches: affected(batches) };
  }
}

/** Rows of an UPDATE/DELETE … RETURNING through TypeORM's pg driver, which answers `[rows, count]`. */
export function returningRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}

function affected(result: unknown): number {
  return returningRows(result).length;
}

/**
 * Records « Lot terminé » when no call of the batch is still open. The batch row is locked first,
 * so two last calls ending at once are checked one after the other (the second sees the first's
 * commit) and exactly one of them records it; the dedup key covers a success landing over a
 * failure later.
 */
async function recordBatchEndIfLast(manager: EntityManager, batchId: string): Promise<void> {
  const [batch] = (await manager.query(`SELECT tenant_id, file_name FROM api_particulier_batch WHERE id = $1 FOR UPDATE`, [batchId])) as { tenant_id: string; file_name: string }[];
  if (!batch) return;
  const [counts] = (await manager.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM api_particulier_call WHERE batch_id = $1
     HAVING NOT EXISTS (SELECT 1 FROM api_particulier_call WHERE batch_id = $1 AND status NOT IN ('succeeded', 'failed'))`,
    [batchId],
  )) as { total: number; succeeded: number; failed: number }[];
  if (!counts) return;
  await recordNotificationEvent(manager, {
    kind: 'batch_finished',
    tenantId: batch.tenant_id,
    dedupKey: `batch_finished:${batchId}`,
    data: { batchId, fileName: batch.file_name, total: counts.total, succeeded: counts.succeeded, failed: counts.failed },
  });
}
