/**
 * Starting calls: a citizen's data retrieval (FranceConnect modality, someone is waiting) and an
 * agent's batch (pivot identity or INE, in the background). Both check the tenant's validated
 * API Particulier habilitation first; both write their rows in one transaction with the audit row
 * (batches) so a refused command changes nothing.
 */
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import { appendAudit } from '@fcplat/db';
import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, type ApiParticulierApi, type CallModality, type FranceConnectEnvironment } from '@fcplat/domain';
import { BatchFileError, parseBatchFile, type BatchModality, type BatchRejection } from './batch-file.js';
import type { TenantEndpoints } from './credentials.js';
import type { CallEnvironment, CallLedger, CallRecord } from './ledger.js';

export interface EnabledApi {
  readonly api: ApiParticulierApi;
  readonly modalities: readonly CallModality[];
}

/** APIs and modalities the tenant's validated API Particulier habilitation covers. */
export async function enabledApis(dataSource: DataSource, tenantId: string): Promise<EnabledApi[]> {
  const rows = (await dataSource.query(`SELECT scopes, modalities FROM tenant_habilitation WHERE tenant_id = $1 AND product = 'api_particulier' AND state = 'validated'`, [
    tenantId,
  ])) as { scopes: string[]; modalities: string[] }[];
  const row = rows[0];
  if (!row) return [];
  const result: EnabledApi[] = [];
  for (const api of API_PARTICULIER_APIS) {
    const info = API_PARTICULIER_CATALOGUE[api];
    if (!info.scopes.some((s) => row.scopes.includes(s.scope))) continue;
    const modalities = info.modalities.filter((m) => row.modalities.includes(m));
    if (modalities.length > 0) result.push({ api, modalities });
  }
  return result;
}

export interface BatchActor {
  readonly auditActor: { readonly type: 'staff' | 'client_admin' | 'api_token'; readonly id: string };
  readonly userId: string | null;
}

export interface BatchCreated {
  readonly id: string;
  readonly totalLines: number;
  readonly acceptedLines: number;
  readonly rejectedLines: number;
  readonly rejections: readonly BatchRejection[];
}

export class ApiParticulierCalls {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: CallLedger,
    private readonly endpoints: TenantEndpoints,
  ) {}

  /**
   * A citizen's retrieval with FranceConnect: one call per API the habilitation enables for the
   * FranceConnect modality, right after the token exchange (the token lives 60 s).
   */
  async startFranceConnectRetrieval(input: {
    tenantId: string;
    citizenId: string;
    accessToken: string;
    accessTokenExpiresAt: Date;
    franceConnectEnvironment: FranceConnectEnvironment;
  }): Promise<string[]> {
    const apis = (await enabledApis(this.dataSource, input.tenantId)).filter((a) => a.modalities.includes('france_connect'));
    if (apis.length === 0) throw new AppError('FORBIDDEN', { detail: 'Aucune donnée n’est ouverte à la récupération avec FranceConnect pour cet organisme.' });
    const environment = this.endpoints.franceConnectEnvironment(input.franceConnectEnvironment);
    if (!(await this.endpoints.franceConnectEndpoint(input.tenantId, environment))) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'API Particulier n’est pas joignable pour cet environnement FranceConnect.' });
    }
    const recipient = await this.recipientOf(input.tenantId);
    return this.dataSource.transaction((manager) =>
      this.ledger.insert(
        manager,
        apis.map((a) => ({
          tenantId: input.tenantId,
          recipient,
          environment,
          api: a.api,
          input: { modality: 'france_connect', franceConnectAccessToken: input.accessToken },
          origin: 'citizen',
          triggeredBy: `citizen:${input.citizenId}`,
          priority: 0,
          franceConnectTokenExpiresAt: input.accessTokenExpiresAt,
        })),
      ),
    );
  }

  /** An agent's batch: bad lines reported, good lines queued, one transaction. */
  async createBatch(input: { tenantId: string; api: ApiParticulierApi; modality: BatchModality; fileName: string; bytes: Buffer; actor: BatchActor; requestId: string | null }): Promise<BatchCreated> {
    const enabled = (await enabledApis(this.dataSource, input.tenantId)).find((a) => a.api === input.api);
    const label = API_PARTICULIER_CATALOGUE[input.api].label;
    if (!enabled) throw new AppError('FORBIDDEN', { detail: `L’habilitation API Particulier validée de l’organisme ne couvre pas l’API « ${label} ».` });
    if (!enabled.modalities.includes(input.modality)) {
      throw new AppError('FORBIDDEN', { detail: `L’habilitation de l’organisme ne prévoit pas l’appel de « ${label} » par ${input.modality === 'ine' ? 'INE' : 'identité pivot'}.` });
    }
    const target = await this.endpoints.environmentFor(input.tenantId);
    if ('problem' in target) throw new AppError('CONFLICT', { detail: target.problem });
    const environment: CallEnvironment = target.environment;
    let parsed;
    try {
      parsed = parseBatchFile(input.bytes, input.api, input.modality);
    } catch (error) {
      if (error instanceof BatchFileError) throw new AppError('VALIDATION_FAILED', { detail: error.message, violations: [{ path: 'file', message: error.message }] });
      throw error;
    }
    if (parsed.accepted.length === 0 && parsed.rejectedCount === 0) throw new AppError('VALIDATION_FAILED', { detail: 'Le fichier ne contient aucun dossier.' });
    const recipient = await this.recipientOf(input.tenantId);
    return this.dataSource.transaction(async (manager) => {
      const [batch] = (await manager.query(
        `INSERT INTO api_particulier_batch (tenant_id, api, modality, file_name, created_by, total_lines, accepted_lines, rejected_lines, rejections, environment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
        [input.tenantId, input.api, input.modality, input.fileName, input.actor.userId, parsed.totalLines, parsed.accepted.length, parsed.rejectedCount, JSON.stringify(parsed.rejected), environment],
      )) as [{ id: string }];
      await this.ledger.insert(
        manager,
        parsed.accepted.map((line) => ({
          tenantId: input.tenantId,
          recipient,
          environment,
          api: input.api,
          input: line.input,
          origin: 'batch',
          triggeredBy: `account:${input.actor.userId ?? input.actor.auditActor.id}`,
          batch: { id: batch.id, line: line.line, reference: line.reference },
          priority: 1,
        })),
      );
      await appendAudit(manager, {
        actor: input.actor.auditActor,
        tenantId: input.tenantId,
        action: 'api_particulier.batch.created',
        target: { type: 'api_particulier_batch', id: batch.id },
        changes: { api: input.api, modality: input.modality, fileName: input.fileName, totalLines: parsed.totalLines, accepted: parsed.accepted.length, rejected: parsed.rejectedCount },
        requestId: input.requestId,
      });
      return { id: batch.id, totalLines: parsed.totalLines, acceptedLines: parsed.accepted.length, rejectedLines: parsed.rejectedCount, rejections: parsed.rejected };
    });
  }

  waitForEnd(ids: readonly string[], deadlineMs: number): Promise<CallRecord[]> {
    return this.ledger.waitForEnd(ids, deadlineMs);
  }

  private async recipientOf(tenantId: string): Promise<string> {
    const rows = (await this.dataSource.query(`SELECT siret FROM tenant WHERE id = $1`, [tenantId])) as { siret: string }[];
    const siret = rows[0]?.siret;
    if (!siret) throw new AppError('NOT_FOUND', { detail: 'Organisme introuvable.' });
    return siret;
  }
}
