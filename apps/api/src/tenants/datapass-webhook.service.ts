import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError } from '@fcplat/common';
import { appendAudit, DataPassWebhookDeliveryEntity, HabilitationEntity, TenantEntity, type WebhookOutcome } from '@fcplat/db';
import {
  CALL_MODALITIES,
  CALL_MODALITY_INFO,
  isHabilitationState,
  productForModelType,
  stateForWebhookEvent,
  type CallModality,
  type HabilitationProduct,
  type HabilitationState,
} from '@fcplat/domain';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { appendHabilitationHistory, DATE_FIELDS, STATE_DATE_FIELD, type DateField } from './habilitations.service.js';
import { TENANTS_OPTIONS, type TenantsOptions } from './tenants.options.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface WebhookReceipt {
  readonly received: true;
  /** `true` when this exact delivery was already processed: nothing changed this time. */
  readonly duplicate: boolean;
  readonly outcome: WebhookOutcome;
}

const idSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9A-Za-z_-]{1,64}$/)]).transform(String);
const timestampSchema = z.union([z.string().max(64), z.number()]).nullish();

/** The part of a DataPass webhook body we read (DataPass `WebhookSerializer`); other fields are ignored. */
const deliverySchema = z.object({
  event: z.string().min(1).max(64),
  fired_at: z.union([z.number(), z.string().max(64)]).nullish(),
  model_type: z.string().min(1).max(200),
  data: z.object({
    id: idSchema,
    public_id: z.string().max(100).nullish(),
    state: z.string().max(64).nullish(),
    data: z
      .object({
        scopes: z.array(z.string().max(100)).max(200).nullish(),
        modalities: z.array(z.string().max(64)).max(20).nullish(),
      })
      .nullish(),
    last_submitted_at: timestampSchema,
    last_validated_at: timestampSchema,
    organization: z.object({ siret: z.string().max(64) }),
  }),
});
type Delivery = z.output<typeof deliverySchema>;

function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : /^[0-9]+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** DataPass' `modalities` (`params`, `formulaire_qf`, `france_connect`) → our call modalities. */
function modalitiesOf(values: readonly string[]): CallModality[] {
  const out: CallModality[] = [];
  for (const modality of CALL_MODALITIES) {
    if (values.includes(CALL_MODALITY_INFO[modality].dataPassModality ?? '\u0000')) out.push(modality);
  }
  return out;
}

/**
 * DataPass webhooks (SR-27): HMAC-SHA256 of the raw body checked in constant time before
 * anything is parsed; each delivery stored once under the SHA-256 of its body, so a replay
 * changes nothing; the habilitation of (tenant by SIRET, product by model type) follows the event.
 */
@Injectable()
export class DataPassWebhookService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TENANTS_OPTIONS) private readonly options: TenantsOptions,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('DataPassWebhook');
  }

  /** Throws 404 when webhooks are disabled, 401 when the signature is missing or wrong. */
  verify(rawBody: Buffer | undefined, signatureHeader: string | string[] | undefined): void {
    const secret = this.options.dataPassWebhookSecret;
    if (!secret) {
      throw new AppError('NOT_FOUND', {
        detail: 'Les webhooks DataPass ne sont pas activés sur cette plateforme : les habilitations sont mises à jour à la main par l’équipe.',
      });
    }
    const header = Array.isArray(signatureHeader) ? undefined : signatureHeader;
    const match = header ? /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim()) : null;
    const expected = createHmac('sha256', secret).update(rawBody ?? Buffer.alloc(0)).digest();
    const given = match?.[1] ? Buffer.from(match[1], 'hex') : Buffer.alloc(0);
    // timingSafeEqual needs equal lengths; compare against a same-length dummy so timing stays flat.
    const comparable = given.length === expected.length ? given : Buffer.alloc(expected.length);
    const equal = timingSafeEqual(comparable, expected) && given.length === expected.length;
    if (!equal) throw new AppError('UNAUTHENTICATED', { detail: 'Signature du webhook absente ou invalide (en-tête X-Hub-Signature-256).' });
  }

  /** Processes a verified delivery. Always resolves for a well-signed body (DataPass must not retry forever). */
  async receive(rawBody: Buffer, appEnvironment: string | undefined): Promise<WebhookReceipt> {
    const deliveryKey = createHash('sha256').update(rawBody).digest('hex');
    const environment = appEnvironment ? appEnvironment.slice(0, 32) : null;
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return this.record(deliveryKey, { outcome: 'rejected_payload', detail: 'corps JSON illisible', appEnvironment: environment });
    }
    if (typeof payload === 'object' && payload !== null && (payload as { test?: unknown }).test === true) {
      return this.record(deliveryKey, { outcome: 'test_ping', appEnvironment: environment });
    }
    const parsed = deliverySchema.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || 'corps'} : ${issue.code}`)
        .join(' ; ');
      this.logger.warn({ deliveryKey, detail }, 'DataPass webhook with an unexpected body');
      return this.record(deliveryKey, { outcome: 'rejected_payload', detail, appEnvironment: environment });
    }
    const delivery = parsed.data;
    const common = {
      appEnvironment: environment,
      event: delivery.event,
      modelType: delivery.model_type,
      dataPassId: delivery.data.id,
      siret: delivery.data.organization.siret,
      firedAt: toDate(delivery.fired_at),
    };
    const product = productForModelType(delivery.model_type);
    if (!product) return this.record(deliveryKey, { ...common, outcome: 'unsupported_model' });
    const tenant = await this.dataSource.getRepository(TenantEntity).findOne({ where: { siret: delivery.data.organization.siret }, select: { id: true } });
    if (!tenant) {
      this.logger.info({ deliveryKey, event: delivery.event, product }, 'DataPass webhook for a SIRET that is no tenant: recorded, ignored');
      return this.record(deliveryKey, { ...common, product, outcome: 'unknown_tenant' });
    }
    return this.dataSource.transaction(async (manager) => {
      const deliveryId = await this.insertDelivery(manager, deliveryKey, { ...common, product, tenantId: tenant.id, outcome: 'no_change' });
      if (!deliveryId) return { received: true, duplicate: true, outcome: await this.outcomeOf(manager, deliveryKey) };
      const outcome = await this.apply(manager, tenant.id, product, delivery, deliveryId, common.firedAt);
      if (outcome !== 'no_change') {
        await manager.getRepository(DataPassWebhookDeliveryEntity).update({ id: deliveryId }, { outcome });
      }
      return { received: true, duplicate: false, outcome };
    });
  }

  private async apply(
    manager: EntityManager,
    tenantId: string,
    product: HabilitationProduct,
    delivery: Delivery,
    deliveryId: string,
    firedAt: Date | null,
  ): Promise<WebhookOutcome> {
    const repository = manager.getRepository(HabilitationEntity);
    const current = await repository.findOne({ where: { tenantId, product }, lock: { mode: 'pessimistic_write' } });
    const eventTime = firedAt ?? new Date();
    if (current?.lastWebhookFiredAt && firedAt && firedAt < current.lastWebhookFiredAt) return 'stale';
    const mapped = stateForWebhookEvent(delivery.event);
    const fallback: HabilitationState = isHabilitationState(delivery.data.state) ? delivery.data.state : 'draft';
    const state: HabilitationState = mapped ?? current?.state ?? fallback;
    const dataPassId = delivery.data.id;
    const newRequest = !!current?.dataPassId && current.dataPassId !== dataPassId;
    const dates: Record<DateField, Date | null> = Object.fromEntries(
      DATE_FIELDS.map((field) => [field, current && !newRequest ? current[field] : null]),
    ) as Record<DateField, Date | null>;
    const stateChanges = !current || current.state !== state;
    const stateField = STATE_DATE_FIELD[state];
    if (stateChanges && stateField) {
      const announced =
        state === 'submitted' ? toDate(delivery.data.last_submitted_at) : state === 'validated' ? toDate(delivery.data.last_validated_at) : null;
      dates[stateField] = announced ?? eventTime;
    }
    const scopes = delivery.data.data?.scopes ?? current?.scopes ?? [];
    const modalities = delivery.data.data?.modalities ? modalitiesOf(delivery.data.data.modalities) : (current?.modalities ?? []);
    const next = {
      state,
      dataPassId,
      dataPassPublicId: delivery.data.public_id ?? (newRequest ? null : (current?.dataPassPublicId ?? null)),
      scopes,
      modalities,
      ...dates,
    };
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const [key, after] of Object.entries(next)) {
      const before = current ? (current as unknown as Record<string, unknown>)[key] : null;
      if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) changes[key === 'state' ? 'habilitationState' : key] = { before: before ?? null, after };
    }
    let row: HabilitationEntity;
    if (current) {
      await repository
        .createQueryBuilder()
        .update(HabilitationEntity)
        .set({
          ...next,
          lastWebhookFiredAt: firedAt ?? current.lastWebhookFiredAt,
          ...(Object.keys(changes).length > 0 ? { updatedAt: () => 'now()', version: () => 'version + 1' } : {}),
        } as never)
        .where('id = :id', { id: current.id })
        .execute();
      if (Object.keys(changes).length === 0) return 'no_change';
      row = await repository.findOneByOrFail({ id: current.id });
    } else {
      row = await repository.save(repository.create({ tenantId, product, ...next, lastWebhookFiredAt: firedAt }));
    }
    const actor = { type: 'webhook' as const, id: null };
    if (stateChanges) {
      await appendHabilitationHistory(manager, {
        habilitation: row,
        fromState: current?.state ?? null,
        source: 'webhook',
        actor,
        dataPassEvent: delivery.event,
        webhookDeliveryId: deliveryId,
      });
    }
    await appendAudit(manager, {
      actor,
      tenantId,
      action: current ? 'habilitation.webhook_updated' : 'habilitation.webhook_recorded',
      target: { type: 'habilitation', id: row.id },
      changes: { dataPassEvent: delivery.event, ...changes },
      requestId: null,
    });
    return 'applied';
  }

  /** Records a delivery that changes no habilitation; a replay is recognised by its key. */
  private async record(deliveryKey: string, values: Partial<DataPassWebhookDeliveryEntity> & { outcome: WebhookOutcome }): Promise<WebhookReceipt> {
    const id = await this.insertDelivery(this.dataSource.manager, deliveryKey, values);
    if (!id) return { received: true, duplicate: true, outcome: await this.outcomeOf(this.dataSource.manager, deliveryKey) };
    return { received: true, duplicate: false, outcome: values.outcome };
  }

  /** Inserts the delivery unless its key is already there; returns its id, or `null` for a replay. */
  private async insertDelivery(manager: EntityManager, deliveryKey: string, values: Partial<DataPassWebhookDeliveryEntity>): Promise<string | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(DataPassWebhookDeliveryEntity)
      .values({ ...values, deliveryKey } as object)
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = (result.raw as { id?: string }[])[0];
    return row?.id ?? null;
  }

  private async outcomeOf(manager: EntityManager, deliveryKey: string): Promise<WebhookOutcome> {
    const row = await manager.getRepository(DataPassWebhookDeliveryEntity).findOne({ where: { deliveryKey }, select: { outcome: true } });
    return row?.outcome ?? 'no_change';
  }
}
