import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { API_PARTICULIER_ERROR_LABELS, describeSummary, type ApiParticulierErrorCode, type CallSummary } from '@fcplat/api-particulier';
import { BATCH_COLUMNS, LEARNT_CEILING_KEY, csvCell, type ApiParticulierRuntime, type BatchCreated, type BatchModality } from '@fcplat/api-particulier-calls';
import { AppError } from '@fcplat/common';
import {
  API_PARTICULIER_CATALOGUE,
  BATCH_LINE_REJECTED_LABEL,
  CALL_MODALITY_LABELS,
  CALL_ORIGIN_LABELS,
  CALL_STATUS_COUNT_LABELS,
  CALL_STATUS_LABELS,
  CALL_STATUSES,
  csvDocument,
  environmentLabel,
  parisDateTime,
  QUEUE_JOB_STATE_LABELS,
  QUEUE_JOB_STATES,
  QUEUE_LABELS,
  type ApiParticulierApi,
  type ApiParticulierEnvironment,
} from '@fcplat/domain';
import { QUEUE_NAMES, type JobProducer, type QueueName } from '@fcplat/queue';
import { auditActorOf, type Actor } from '../auth/actor.js';
import type { Page } from '@fcplat/contract';
import type { PlatformConfig } from '@fcplat/config';
import { API_PARTICULIER_RUNTIME, DATA_SOURCE, JOB_PRODUCER, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { CALL_EXPORT_MAX_ROWS } from '@fcplat/contract';
import type {
  AllCallsQuery,
  BatchDetail,
  BatchLineView,
  BatchLinesQuery,
  BatchListQuery,
  BatchView,
  CallExportQuery,
  CallListQuery,
  CallView,
  QueueDashboard,
} from '@fcplat/contract';

/** Errors the ledger itself records, beside API Particulier's. */
const LEDGER_ERROR_LABELS: Readonly<Record<string, string>> = {
  FRANCECONNECT_TOKEN_EXPIRED: 'Le jeton FranceConnect avait expiré avant l’appel (il vit 60 secondes) : l’usager doit se reconnecter.',
  APIP_NO_CREDENTIALS: 'Aucun jeton API Particulier valide pour cet environnement.',
  APIP_TOO_MANY_ATTEMPTS: 'Abandonné après des échecs répétés de la plateforme (pas une réponse d’API Particulier) : relancez-le, ou signalez-le à votre éditeur s’il échoue encore.',
  APIP_INPUT_MISSING: 'Les paramètres de l’appel ne sont plus disponibles.',
};

export function errorLabel(code: string | null): string | null {
  if (!code) return null;
  return LEDGER_ERROR_LABELS[code] ?? API_PARTICULIER_ERROR_LABELS[code as ApiParticulierErrorCode] ?? code;
}

const CALL_SELECT = `SELECT c.id, c.tenant_id, t.name AS tenant_name, c.recipient, c.environment, c.api, c.modality, c.origin, c.triggered_by, u.email AS account_email,
              c.batch_id, c.batch_line, c.dossier_reference, c.status, c.http_status, c.error_code, c.upstream_code, c.latency_ms, c.attempts,
              c.rate_limited, c.ambiguous_attempts, c.schema_drift, c.queued_at, c.started_at, c.finished_at
         FROM api_particulier_call c
         JOIN tenant t ON t.id = c.tenant_id
         LEFT JOIN app_user u ON c.triggered_by LIKE 'account:%' AND u.id::text = substr(c.triggered_by, 9)`;

/** The WHERE clause of the call log's filters (the list and its export). */
function callFilters(tenantId: string | null, query: CallExportQuery): { filter: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (tenantId) add('c.tenant_id = ?', tenantId);
  if (query.status) add('c.status = ?', query.status);
  if (query.api) add('c.api = ?', query.api);
  if (query.origin) add('c.origin = ?', query.origin);
  if (query.batchId) add('c.batch_id = ?', query.batchId);
  if (query.errorCode) add('c.error_code = ?', query.errorCode);
  if (query.from) add('c.queued_at >= ?', query.from);
  if (query.to) add('c.queued_at < ?', query.to);
  if (query.dossierReference) add('c.dossier_reference = ?', query.dossierReference);
  return { filter: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

const SORT_COLUMNS = { queuedAt: 'c.queued_at', finishedAt: 'c.finished_at', latencyMs: 'c.latency_ms' } as const;

@Injectable()
export class ApiParticulierService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_PARTICULIER_RUNTIME) private readonly runtime: ApiParticulierRuntime,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async requireTenant(tenantId: string): Promise<{ id: string; name: string; siret: string }> {
    const rows = (await this.dataSource.query(`SELECT id, name, siret FROM tenant WHERE id = $1`, [tenantId])) as { id: string; name: string; siret: string }[];
    if (!rows[0]) throw new AppError('NOT_FOUND', { detail: 'Organisme introuvable.' });
    return rows[0];
  }

  /** The call log, newest first, filtered in SQL. `tenantId` null: every tenant (staff). */
  async calls(tenantId: string | null, query: CallListQuery | AllCallsQuery): Promise<Page<CallView>> {
    const { filter, params } = callFilters(tenantId ?? ('tenantId' in query ? query.tenantId : undefined) ?? null, query);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM api_particulier_call c ${filter}`, params)) as [{ total: number }];
    const order = `${SORT_COLUMNS[query.sort]} ${query.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, c.seq ${query.order === 'asc' ? 'ASC' : 'DESC'}`;
    const rows = (await this.dataSource.query(
      `${CALL_SELECT} ${filter} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    )) as Record<string, unknown>[];
    return { items: rows.map(callView), page: query.page, pageSize: query.pageSize, total };
  }

  /**
   * The call log of one tenant as CSV, with the list's filters, newest first (at most
   * `CALL_EXPORT_MAX_ROWS` rows): what the screen shows, never the data, the token or the citizen's id.
   */
  async callsCsv(tenantId: string, query: CallExportQuery): Promise<string> {
    await this.requireTenant(tenantId);
    const { filter, params } = callFilters(tenantId, query);
    const rows = (await this.dataSource.query(`${CALL_SELECT} ${filter} ORDER BY c.queued_at DESC, c.seq DESC LIMIT $${params.length + 1}`, [
      ...params,
      CALL_EXPORT_MAX_ROWS,
    ])) as Record<string, unknown>[];
    const when = (iso: string | null): string => (iso ? parisDateTime(new Date(iso)) : '');
    return csvDocument(
      ['Demandé le', 'Environnement', 'Donnée', 'Identification', 'Origine', 'Déclenché par', 'Référence du dossier', 'Ligne du lot', 'Résultat', 'Code d’erreur', 'Erreur', 'Durée (ms)', 'Essais', 'Terminé le'],
      rows.map(callView).map((c) => [
        when(c.queuedAt),
        c.environmentLabel,
        c.apiLabel,
        CALL_MODALITY_LABELS[c.modality],
        CALL_ORIGIN_LABELS[c.origin],
        c.triggeredByLabel,
        c.dossierReference,
        c.batchLine,
        CALL_STATUS_LABELS[c.status],
        c.errorCode,
        c.errorLabel,
        c.latencyMs,
        c.attempts,
        when(c.finishedAt),
      ]),
    );
  }

  async createBatch(actor: Actor, requestId: string | null, tenantId: string, api: ApiParticulierApi, modality: BatchModality, fileName: string, bytes: Buffer): Promise<BatchCreated> {
    await this.requireTenant(tenantId);
    return this.runtime.service.createBatch({
      tenantId,
      api,
      modality,
      fileName,
      bytes,
      actor: { auditActor: auditActorOf(actor), userId: actor.userId },
      requestId,
    });
  }

  async batches(tenantId: string, query: BatchListQuery): Promise<Page<BatchView>> {
    await this.requireTenant(tenantId);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM api_particulier_batch WHERE tenant_id = $1`, [tenantId])) as [{ total: number }];
    const rows = (await this.dataSource.query(
      batchSelect('b.tenant_id = $1', `ORDER BY b.created_at ${query.order === 'asc' ? 'ASC' : 'DESC'} LIMIT $2 OFFSET $3`),
      [tenantId, query.pageSize, (query.page - 1) * query.pageSize],
    )) as Record<string, unknown>[];
    return { items: rows.map(batchView), page: query.page, pageSize: query.pageSize, total };
  }

  async batch(tenantId: string, batchId: string): Promise<BatchDetail> {
    const rows = (await this.dataSource.query(batchSelect('b.tenant_id = $1 AND b.id = $2'), [tenantId, batchId])) as Record<string, unknown>[];
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', { detail: 'Lot introuvable.' });
    return { ...batchView(row), rejections: row['rejections'] as BatchDetail['rejections'] };
  }

  /**
   * The lines of a batch in the order of the file, accepted (their call's status and error) and
   * rejected (why) together, a page at a time: no data from API Particulier, so staff read it too.
   */
  async batchLines(tenantId: string, batchId: string, query: BatchLinesQuery): Promise<Page<BatchLineView>> {
    const batch = await this.batch(tenantId, batchId);
    const rows = (await this.dataSource.query(
      `SELECT line, reference, status, error_code, reasons, finished_at FROM (
         SELECT c.batch_line AS line, c.dossier_reference AS reference, c.status, c.error_code, NULL::jsonb AS reasons, c.finished_at
           FROM api_particulier_call c WHERE c.tenant_id = $1 AND c.batch_id = $2
         UNION ALL
         SELECT (r->>'line')::int, r->>'reference', 'rejected', NULL, r->'reasons', NULL
           FROM api_particulier_batch b CROSS JOIN jsonb_array_elements(b.rejections) r WHERE b.tenant_id = $1 AND b.id = $2
       ) lines ORDER BY line LIMIT $3 OFFSET $4`,
      [tenantId, batchId, query.pageSize, (query.page - 1) * query.pageSize],
    )) as { line: number; reference: string | null; status: BatchLineView['status']; error_code: string | null; reasons: string[] | null; finished_at: Date | null }[];
    return {
      items: rows.map((r) => ({
        line: r.line,
        reference: r.reference,
        status: r.status,
        statusLabel: r.status === 'rejected' ? BATCH_LINE_REJECTED_LABEL : CALL_STATUS_LABELS[r.status],
        errorCode: r.status === 'rejected' ? 'LIGNE_INVALIDE' : r.error_code,
        reason: r.status === 'rejected' ? (r.reasons ?? []).join(' ') : errorLabel(r.error_code),
        finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      // The rejections kept with the batch (a very long list keeps its first ones only) and the accepted lines.
      total: batch.acceptedLines + batch.rejections.length,
    };
  }

  /**
   * Results of a batch, one line per dossier, for the client administrator only (the editor is
   * never a recipient of citizens' data). Values come from the encrypted summaries while retained.
   */
  async batchResultsCsv(tenantId: string, batchId: string): Promise<string> {
    const batch = await this.batch(tenantId, batchId);
    const rows = (await this.dataSource.query(
      `SELECT batch_line, dossier_reference, status, error_code, upstream_code, result_ciphertext, result_expires_at > now() AS retained, finished_at
         FROM api_particulier_call WHERE tenant_id = $1 AND batch_id = $2 ORDER BY batch_line`,
      [tenantId, batchId],
    )) as { batch_line: number; dossier_reference: string | null; status: string; error_code: string | null; upstream_code: string | null; result_ciphertext: string | null; retained: boolean | null; finished_at: Date | null }[];
    const columns = resultColumns(batch.api);
    const header = ['ligne', 'reference', 'statut', 'resultat', ...columns.map((c) => c.name), 'code_erreur', 'erreur', 'traite_le'];
    // In the order of the file sent (accepted and rejected lines together), times in France.
    const byLine: { line: number; cells: (string | number | null | undefined)[] }[] = [];
    for (const row of rows) {
      const summary = row.result_ciphertext && row.retained ? this.runtime.ledger.decryptResult(tenantId, row.result_ciphertext) : null;
      const status = row.status === 'succeeded' ? 'ok' : row.status === 'failed' ? 'erreur' : 'en_cours';
      byLine.push({
        line: row.batch_line,
        cells: [
          row.batch_line,
          row.dossier_reference,
          status,
          summary ? describeSummary(summary) : row.status === 'succeeded' ? 'Résultat expiré (durée de conservation dépassée)' : '',
          ...columns.map((c) => (summary ? c.value(summary) : '')),
          row.error_code,
          errorLabel(row.error_code),
          row.finished_at ? parisDateTime(row.finished_at) : '',
        ],
      });
    }
    for (const rejection of batch.rejections) {
      byLine.push({ line: rejection.line, cells: [rejection.line, rejection.reference, 'rejetee', '', ...columns.map(() => ''), 'LIGNE_INVALIDE', rejection.reasons.join(' '), ''] });
    }
    byLine.sort((a, b) => a.line - b.line);
    const lines = [header.join(';'), ...byLine.map((entry) => entry.cells.map(csvCell).join(';'))];
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  }

  async rejectionsCsv(tenantId: string, batchId: string): Promise<string> {
    const batch = await this.batch(tenantId, batchId);
    const lines = ['ligne;reference;motifs'];
    for (const r of batch.rejections) lines.push([r.line, r.reference, r.reasons.join(' ')].map(csvCell).join(';'));
    if (batch.rejectedLines > batch.rejections.length) lines.push(['', '', `… et ${batch.rejectedLines - batch.rejections.length} autres lignes rejetées`].map(csvCell).join(';'));
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  }

  /** The template agents fill in. */
  template(modality: BatchModality): string {
    const example =
      modality === 'ine' ? 'DOSSIER-0001;1234567890A' : 'DOSSIER-0001;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;';
    return `\uFEFF${BATCH_COLUMNS[modality].join(';')}\r\n${example}\r\n`;
  }

  /**
   * What the console's « Files d'attente » page shows: each queue's jobs per state (BullMQ), the
   * ledger's calls per state, the rate-limit pauses in force, the last hour, the tenants waiting
   * most, the failures of the last 24 hours. Counts, tenants' names and error codes only.
   */
  async dashboard(): Promise<QueueDashboard> {
    const byStatus = (await this.dataSource.query(`SELECT status, count(*)::int AS n FROM api_particulier_call GROUP BY status`)) as { status: string; n: number }[];
    const perTenant = (await this.dataSource.query(
      `SELECT t.id, t.name, count(*) FILTER (WHERE c.status = 'queued')::int AS queued,
              count(*) FILTER (WHERE c.status IN ('dispatched', 'running', 'retrying'))::int AS in_progress
         FROM api_particulier_call c JOIN tenant t ON t.id = c.tenant_id
        WHERE c.status NOT IN ('succeeded', 'failed')
        GROUP BY t.id, t.name ORDER BY queued DESC LIMIT 50`,
    )) as { id: string; name: string; queued: number; in_progress: number }[];
    const lastHour = (await this.dataSource.query(
      `SELECT count(*)::int AS calls, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              coalesce(sum(rate_limited), 0)::int AS rate_limited,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM api_particulier_call WHERE finished_at > now() - interval '1 hour'`,
    )) as [{ calls: number; failed: number; rate_limited: number; p50: number | null; p95: number | null }];
    const failures = (await this.dataSource.query(
      `SELECT c.error_code, count(*)::int AS n FROM api_particulier_call c
        WHERE c.status = 'failed' AND c.finished_at > now() - interval '24 hours' GROUP BY c.error_code ORDER BY n DESC LIMIT 10`,
    )) as { error_code: string | null; n: number }[];
    const started = performance.now();
    let counts: Record<QueueName, Record<string, number>> | null = null;
    try {
      counts = await this.producer.queueCounts(QUEUE_JOB_STATES);
    } catch {
      counts = null;
    }
    const latencyMs = Math.round(performance.now() - started);
    const learnt = await this.runtime.limiter.learntCeiling(LEARNT_CEILING_KEY);
    const stats = lastHour[0];
    const queueLabels: Readonly<Record<QueueName, string>> = QUEUE_LABELS;
    const calls = new Map(byStatus.map((r) => [r.status, r.n]));
    return {
      generatedAt: new Date().toISOString(),
      backend: { kind: this.producer.backendKind, up: counts !== null, latencyMs },
      queues: counts
        ? QUEUE_NAMES.map((queue) => ({
            queue,
            label: queueLabels[queue],
            counts: QUEUE_JOB_STATES.map((state) => ({ state, label: QUEUE_JOB_STATE_LABELS[state], count: counts?.[queue][state] ?? 0 })),
          }))
        : [],
      calls: CALL_STATUSES.map((status) => ({ status, label: CALL_STATUS_COUNT_LABELS[status], count: calls.get(status) ?? 0 })),
      lastHour: { calls: stats.calls, failed: stats.failed, rateLimited: stats.rate_limited, latencyP50Ms: stats.p50 === null ? null : Math.round(stats.p50), latencyP95Ms: stats.p95 === null ? null : Math.round(stats.p95) },
      tenantsWithBacklog: perTenant.map((r) => ({ tenantId: r.id, name: r.name, queued: r.queued, inProgress: r.in_progress })),
      pauses: (await this.runtime.limiter.activePauses()).map((p) => ({ bucket: p.key.startsWith('apip:token:') ? 'Un jeton API Particulier' : 'Plateforme (limite par IP)', until: p.pausedUntil.toISOString(), reason: p.reason })),
      failures24h: failures.map((f) => ({ errorCode: f.error_code, label: errorLabel(f.error_code), count: f.n })),
      ipCeiling: {
        configuredPerMinute: this.config.apiParticulier.ipLimitPerMinute,
        learntPerMinute: learnt && learnt.limit < this.config.apiParticulier.ipLimitPerMinute ? learnt.limit : null,
        learntAt: learnt ? learnt.learntAt.toISOString() : null,
      },
    };
  }
}

export type { QueueDashboard };

const batchSelect = (where: string, tail = ''): string => `
  SELECT b.id, b.tenant_id, b.api, b.modality, b.environment, b.file_name, b.created_at, u.email AS created_by, b.total_lines, b.accepted_lines, b.rejected_lines, b.rejections,
         count(c.id) FILTER (WHERE c.status = 'queued')::int AS queued,
         count(c.id) FILTER (WHERE c.status IN ('dispatched', 'running', 'retrying'))::int AS in_progress,
         count(c.id) FILTER (WHERE c.status = 'succeeded')::int AS succeeded,
         count(c.id) FILTER (WHERE c.status = 'failed')::int AS failed
    FROM api_particulier_batch b
    LEFT JOIN app_user u ON u.id = b.created_by
    LEFT JOIN api_particulier_call c ON c.batch_id = b.id AND c.tenant_id = b.tenant_id
   WHERE ${where}
   GROUP BY b.id, u.email
   ${tail}`;

function batchView(row: Record<string, unknown>): BatchView {
  const queued = row['queued'] as number;
  const inProgress = row['in_progress'] as number;
  const api = row['api'] as ApiParticulierApi;
  return {
    id: row['id'] as string,
    tenantId: row['tenant_id'] as string,
    api,
    apiLabel: API_PARTICULIER_CATALOGUE[api].label,
    modality: row['modality'] as BatchModality,
    environment: (row['environment'] as ApiParticulierEnvironment | null) ?? null,
    environmentLabel: row['environment'] ? environmentLabel('api_particulier', row['environment'] as ApiParticulierEnvironment) : null,
    fileName: row['file_name'] as string,
    createdAt: (row['created_at'] as Date).toISOString(),
    createdBy: (row['created_by'] as string | null) ?? null,
    totalLines: row['total_lines'] as number,
    acceptedLines: row['accepted_lines'] as number,
    rejectedLines: row['rejected_lines'] as number,
    progress: { queued, inProgress, succeeded: row['succeeded'] as number, failed: row['failed'] as number, done: queued + inProgress === 0 },
  };
}

function callView(row: Record<string, unknown>): CallView {
  const api = row['api'] as ApiParticulierApi;
  const triggeredBy = row['triggered_by'] as string;
  const date = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : null);
  return {
    id: row['id'] as string,
    tenantId: row['tenant_id'] as string,
    tenantName: row['tenant_name'] as string,
    recipient: row['recipient'] as string,
    environment: row['environment'] as ApiParticulierEnvironment,
    environmentLabel: environmentLabel('api_particulier', row['environment'] as ApiParticulierEnvironment),
    api,
    apiLabel: API_PARTICULIER_CATALOGUE[api].label,
    modality: row['modality'] as CallView['modality'],
    origin: row['origin'] as CallView['origin'],
    triggeredBy,
    triggeredByLabel: triggeredBy.startsWith('citizen:') ? 'Usager du portail' : ((row['account_email'] as string | null) ?? 'Compte supprimé'),
    batchId: (row['batch_id'] as string | null) ?? null,
    batchLine: (row['batch_line'] as number | null) ?? null,
    dossierReference: (row['dossier_reference'] as string | null) ?? null,
    status: row['status'] as CallView['status'],
    httpStatus: (row['http_status'] as number | null) ?? null,
    errorCode: (row['error_code'] as string | null) ?? null,
    errorLabel: errorLabel((row['error_code'] as string | null) ?? null),
    upstreamCode: (row['upstream_code'] as string | null) ?? null,
    latencyMs: (row['latency_ms'] as number | null) ?? null,
    attempts: row['attempts'] as number,
    rateLimited: row['rate_limited'] as number,
    ambiguousAttempts: row['ambiguous_attempts'] as number,
    schemaDrift: (row['schema_drift'] as string | null) ?? null,
    queuedAt: date(row['queued_at']) as string,
    startedAt: date(row['started_at']),
    finishedAt: date(row['finished_at']),
  };
}

interface ResultColumn {
  readonly name: string;
  value(summary: CallSummary): string | number | null;
}

/** Extra columns of a batch's results per API, so a spreadsheet can use the values directly. */
function resultColumns(api: ApiParticulierApi): ResultColumn[] {
  switch (api) {
    case 'quotient_familial':
      return [
        { name: 'quotient_familial', value: (s) => (s.api === 'quotient_familial' ? (s.quotientFamilial?.valeur ?? null) : null) },
        { name: 'fournisseur', value: (s) => (s.api === 'quotient_familial' ? (s.quotientFamilial?.fournisseur ?? null) : null) },
        { name: 'mois', value: (s) => (s.api === 'quotient_familial' && s.quotientFamilial ? `${String(s.quotientFamilial.mois).padStart(2, '0')}/${s.quotientFamilial.annee}` : null) },
      ];
    case 'statut_etudiant':
      return [
        { name: 'inscrit', value: (s) => (s.api === 'statut_etudiant' ? (s.estInscrit ? 'oui' : 'non') : null) },
        { name: 'etablissement', value: (s) => (s.api === 'statut_etudiant' ? (s.admission?.etablissement ?? null) : null) },
      ];
    case 'statut_etudiant_boursier':
      return [
        { name: 'boursier', value: (s) => (s.api === 'statut_etudiant_boursier' ? (s.estBoursier === null ? null : s.estBoursier ? 'oui' : 'non') : null) },
        { name: 'echelon', value: (s) => (s.api === 'statut_etudiant_boursier' ? s.echelon : null) },
      ];
    case 'complementaire_sante_solidaire':
      return [
        { name: 'beneficiaire_c2s', value: (s) => (s.api === 'complementaire_sante_solidaire' ? (s.estBeneficiaire ? 'oui' : 'non') : null) },
        { name: 'avec_participation', value: (s) => (s.api === 'complementaire_sante_solidaire' ? (s.avecParticipation === null ? null : s.avecParticipation ? 'oui' : 'non') : null) },
      ];
  }
}
