import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { AppError, validationError, type FieldViolation } from '@fcplat/common';
import { appendAudit, recordNotificationEvent, HabilitationEntity, HabilitationHistoryEntity, type AuditActor, type HabilitationChangeSource } from '@fcplat/db';
import {
  apiForScope,
  API_PARTICULIER_CATALOGUE,
  CALL_MODALITY_INFO,
  checkHabilitationStateChange,
  FRANCECONNECT_SCOPES,
  HABILITATION_PRODUCT_LABELS,
  HABILITATION_STATE_LABELS,
  supportsModality,
  type CallModality,
  type HabilitationProduct,
  type HabilitationState,
} from '@fcplat/domain';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import type { HabilitationHistoryView, HabilitationView, PutHabilitationInput } from '@fcplat/contract';
import { uniqueViolation } from './tenant-params.js';
import { TenantsService } from './tenants.service.js';

/** The date column that records when a habilitation entered each state. */
export const STATE_DATE_FIELD: Readonly<Record<HabilitationState, DateField | null>> = {
  draft: null,
  submitted: 'submittedAt',
  changes_requested: 'changesRequestedAt',
  validated: 'validatedAt',
  refused: 'refusedAt',
  revoked: 'revokedAt',
  archived: 'archivedAt',
};
export const DATE_FIELDS = ['submittedAt', 'changesRequestedAt', 'validatedAt', 'refusedAt', 'revokedAt', 'archivedAt'] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export type { HabilitationHistoryView, HabilitationView };

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function habilitationView(h: HabilitationEntity): HabilitationView {
  return {
    id: h.id,
    tenantId: h.tenantId,
    product: h.product,
    state: h.state,
    stateLabel: HABILITATION_STATE_LABELS[h.state],
    dataPassId: h.dataPassId,
    dataPassPublicId: h.dataPassPublicId,
    scopes: h.scopes,
    modalities: h.modalities,
    submittedAt: iso(h.submittedAt),
    changesRequestedAt: iso(h.changesRequestedAt),
    validatedAt: iso(h.validatedAt),
    refusedAt: iso(h.refusedAt),
    revokedAt: iso(h.revokedAt),
    archivedAt: iso(h.archivedAt),
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
    version: h.version,
  };
}

/** Scopes and modalities a habilitation of `product` may grant, checked against the domain catalogue. */
export function grantProblems(product: HabilitationProduct, scopes: readonly string[], modalities: readonly CallModality[]): FieldViolation[] {
  const problems: FieldViolation[] = [];
  if (product === 'franceconnect') {
    scopes.forEach((scope, index) => {
      if (!(FRANCECONNECT_SCOPES as readonly string[]).includes(scope)) {
        problems.push({ path: `scopes.${index}`, message: `« ${scope} » n’est pas une donnée d’identité FranceConnect.` });
      }
    });
    if (modalities.length > 0) problems.push({ path: 'modalities', message: 'Les modalités d’appel ne concernent que les habilitations API Particulier.' });
    return problems;
  }
  const apis = new Set(scopes.map(apiForScope).filter((api) => api !== null));
  scopes.forEach((scope, index) => {
    if (apiForScope(scope) === null) {
      problems.push({ path: `scopes.${index}`, message: `La donnée « ${scope} » n’appartient à aucune API Particulier prise en charge.` });
    }
  });
  modalities.forEach((modality, index) => {
    if (apis.size > 0 && ![...apis].some((api) => supportsModality(api, modality))) {
      const labels = [...apis].map((api) => API_PARTICULIER_CATALOGUE[api].label).join(', ');
      problems.push({ path: `modalities.${index}`, message: `La modalité « ${CALL_MODALITY_INFO[modality].label} » n’existe pour aucune des API habilitées (${labels}).` });
    }
  });
  return problems;
}

export interface HistoryEntry {
  readonly habilitation: HabilitationEntity;
  readonly fromState: HabilitationState | null;
  readonly source: HabilitationChangeSource;
  readonly actor: AuditActor;
  readonly dataPassEvent?: string | null;
  readonly webhookDeliveryId?: string | null;
  readonly note?: string | null;
}

/** Appends one row to the habilitation's history and its notification event (same transaction as the change). */
export async function appendHabilitationHistory(manager: EntityManager, entry: HistoryEntry): Promise<void> {
  const actorType = entry.actor.type === 'citizen' ? 'system' : entry.actor.type;
  await manager.getRepository(HabilitationHistoryEntity).insert({
    habilitationId: entry.habilitation.id,
    tenantId: entry.habilitation.tenantId,
    product: entry.habilitation.product,
    fromState: entry.fromState,
    toState: entry.habilitation.state,
    source: entry.source,
    actorType,
    actorId: entry.actor.id,
    dataPassEvent: entry.dataPassEvent ?? null,
    dataPassId: entry.habilitation.dataPassId,
    webhookDeliveryId: entry.webhookDeliveryId ?? null,
    note: entry.note ?? null,
  });
  // A DataPass decision (by hand or by webhook) for staff and the tenant's administrators, same transaction.
  await recordNotificationEvent(manager, {
    kind: 'habilitation_changed',
    tenantId: entry.habilitation.tenantId,
    actorId: entry.source === 'manual' ? entry.actor.id : null,
    data: { product: entry.habilitation.product, from: entry.fromState, to: entry.habilitation.state, source: entry.source },
  });
}

/** Per tenant, one DataPass habilitation per product, recorded by hand by staff (or by webhooks). */
@Injectable()
export class HabilitationsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
  ) {}

  async list(actor: Actor, tenantId: string): Promise<HabilitationView[]> {
    await this.tenants.requireTenant(actor, tenantId);
    const rows = await this.dataSource.getRepository(HabilitationEntity).find({ where: { tenantId }, order: { product: 'ASC' } });
    return rows.map(habilitationView);
  }

  async history(actor: Actor, tenantId: string, product: HabilitationProduct): Promise<HabilitationHistoryView[]> {
    await this.tenants.requireTenant(actor, tenantId);
    const rows = await this.dataSource
      .getRepository(HabilitationHistoryEntity)
      .find({ where: { tenantId, product }, order: { occurredAt: 'ASC', id: 'ASC' }, take: 1000 });
    return rows.map((r) => ({
      id: r.id,
      product: r.product,
      fromState: r.fromState,
      toState: r.toState,
      source: r.source,
      actorType: r.actorType,
      actorId: r.actorId,
      dataPassEvent: r.dataPassEvent,
      dataPassId: r.dataPassId,
      note: r.note,
      occurredAt: r.occurredAt.toISOString(),
    }));
  }

  async put(actor: Actor, tenantId: string, product: HabilitationProduct, input: PutHabilitationInput, requestId: string | null): Promise<HabilitationView> {
    await this.tenants.requireTenant(actor, tenantId);
    const problems = grantProblems(product, input.scopes ?? [], input.modalities ?? []);
    if (problems.length > 0) throw validationError(problems);
    const saved = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(HabilitationEntity);
      return this.putIn(manager, repository, actor, tenantId, product, input, requestId);
    }).catch((error: unknown) => {
      if (uniqueViolation(error) === 'tenant_habilitation_tenant_product_uq') throw concurrentChange();
      throw error;
    });
    return habilitationView(saved);
  }

  private async putIn(
    manager: EntityManager,
    repository: Repository<HabilitationEntity>,
    actor: Actor,
    tenantId: string,
    product: HabilitationProduct,
    input: PutHabilitationInput,
    requestId: string | null,
  ): Promise<HabilitationEntity> {
    const current = await repository.findOne({ where: { tenantId, product }, lock: { mode: 'pessimistic_write' } });
    if (current && input.version !== undefined && current.version !== input.version) {
      throw new AppError('CONFLICT', {
        detail: `L’habilitation a été modifiée entre-temps (version actuelle : ${current.version}) : rechargez-la puis recommencez.`,
        extensions: { currentVersion: current.version },
      });
    }
    const stateChanges = !current || current.state !== input.state;
    let newRequest = false;
    if (current && stateChanges) {
      const check = checkHabilitationStateChange(current.state, input.state);
      if (!check.ok) throw new AppError('CONFLICT', { detail: check.message, violations: [{ path: 'state', message: check.message }] });
      newRequest = check.newRequest;
      if (newRequest && (!input.dataPassId || input.dataPassId === current.dataPassId)) {
        throw validationError([
          { path: 'dataPassId', message: 'Une nouvelle demande DataPass remplace la demande close : renseignez son nouveau numéro.' },
        ]);
      }
    }
    const now = new Date();
    const dates: Record<DateField, Date | null> = {
      submittedAt: null,
      changesRequestedAt: null,
      validatedAt: null,
      refusedAt: null,
      revokedAt: null,
      archivedAt: null,
    };
    for (const field of DATE_FIELDS) {
      const given = input.dates?.[field];
      dates[field] = given ? new Date(given) : current && !newRequest ? current[field] : null;
    }
    const stateField = STATE_DATE_FIELD[input.state];
    if (stateChanges && stateField && !input.dates?.[stateField]) dates[stateField] = now;
    const next = {
      state: input.state,
      dataPassId: input.dataPassId !== undefined ? input.dataPassId : (current?.dataPassId ?? null),
      dataPassPublicId: newRequest ? null : (current?.dataPassPublicId ?? null),
      scopes: input.scopes ?? current?.scopes ?? [],
      modalities: input.modalities ?? current?.modalities ?? [],
      ...dates,
      ...(newRequest ? { lastWebhookFiredAt: null } : {}),
    };
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const [key, after] of Object.entries(next)) {
      const before = current ? (current as unknown as Record<string, unknown>)[key] : null;
      if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) {
        // `state` is a redacted key in audit rows (OAuth state): name it for what it is here.
        changes[key === 'state' ? 'habilitationState' : key] = { before: before ?? null, after };
      }
    }
    if (current && Object.keys(changes).length === 0) return current;
    let row: HabilitationEntity;
    if (current) {
      await repository
        .createQueryBuilder()
        .update(HabilitationEntity)
        .set({ ...next, updatedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id: current.id })
        .execute();
      row = await repository.findOneByOrFail({ id: current.id });
    } else {
      row = await repository.save(repository.create({ tenantId, product, ...next }));
    }
    if (stateChanges) {
      await appendHabilitationHistory(manager, {
        habilitation: row,
        fromState: current?.state ?? null,
        source: 'manual',
        actor: auditActorOf(actor),
        note: input.note ?? null,
      });
    }
    await appendAudit(manager, {
      actor: auditActorOf(actor),
      tenantId,
      action: current ? 'habilitation.updated' : 'habilitation.recorded',
      target: { type: 'habilitation', id: row.id },
      changes: { product: HABILITATION_PRODUCT_LABELS[product], ...changes, ...(input.note ? { note: input.note } : {}) },
      requestId,
    });
    return row;
  }
}

function concurrentChange(): AppError {
  return new AppError('CONFLICT', { detail: 'L’habilitation vient d’être enregistrée par ailleurs : rechargez-la puis recommencez.' });
}
