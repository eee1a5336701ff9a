import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { HabilitationHistoryView, HabilitationView, PutHabilitationInput } from '@fcplat/contract';
import { HABILITATION_PRODUCTS, type HabilitationProduct } from '@fcplat/domain';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, Public, RequestId } from '../auth/decorators.js';
import type { RawBodyRequest } from '../http/body.js';
import { ContractBody, Endpoint } from '../http/endpoint.js';
import { DataPassWebhookService, type WebhookReceipt } from './datapass-webhook.service.js';
import { HabilitationsService } from './habilitations.service.js';
import { enumParam, TenantIdPipe } from './tenant-params.js';

function productOf(value: string): HabilitationProduct {
  return enumParam(value, HABILITATION_PRODUCTS, 'product', 'produit');
}

@ApiTags('habilitations')
@ApiBearerAuth()
@Controller()
export class HabilitationsController {
  constructor(private readonly habilitations: HabilitationsService) {}

  @Endpoint('listHabilitations')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'DataPass habilitations of a tenant (at most one per product)' })
  async list(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<{ items: HabilitationView[] }> {
    return { items: await this.habilitations.list(actor, tenantId) };
  }

  @Endpoint('putHabilitation')
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Record the DataPass habilitation of a product by hand',
    description:
      'State changes follow the DataPass lifecycle (409 otherwise); filing again after refused/revoked/archived needs a new ' +
      'DataPass number. API Particulier scopes and modalities are checked against the catalogue. Each state change appends a history row.',
  })
  put(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('product') product: string,
    @ContractBody('putHabilitation') body: PutHabilitationInput,
  ): Promise<HabilitationView> {
    return this.habilitations.put(actor, tenantId, productOf(product), body, requestId);
  }

  @Endpoint('habilitationHistory')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'State history of a habilitation (manual and webhook changes), oldest first' })
  async history(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string, @Param('product') product: string): Promise<{ items: HabilitationHistoryView[] }> {
    return { items: await this.habilitations.history(actor, tenantId, productOf(product)) };
  }
}

const receiptSchema = {
  type: 'object',
  required: ['received', 'duplicate', 'outcome'],
  properties: {
    received: { type: 'boolean', enum: [true] },
    duplicate: { type: 'boolean' },
    outcome: { type: 'string', enum: ['applied', 'no_change', 'stale', 'unknown_tenant', 'unsupported_model', 'test_ping', 'rejected_payload'] },
  },
};

@ApiTags('webhooks')
@Controller('api/webhooks')
export class DataPassWebhookController {
  constructor(private readonly webhooks: DataPassWebhookService) {}

  @Post('datapass')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'DataPass webhook (signed)',
    description:
      'Authenticated by `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, checked in constant time before the body is ' +
      'read (401 otherwise, nothing written). Every well-signed delivery is answered 200 and stored once (a replay changes nothing), ' +
      'including pings, unknown SIRETs and unsupported products, so DataPass does not retry them. 404 when the platform has no webhook secret.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body>' })
  @ApiHeader({ name: 'X-App-Environment', required: false, description: 'sandbox, staging or production' })
  @ApiBody({ schema: { type: 'object', description: 'DataPass webhook body: {event, fired_at, model_type, model_id, data:{id, public_id, state, data:{scopes…}, organization:{siret…}…}} or a test ping {test: true}' } })
  @ApiOkResponse({ schema: receiptSchema })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid signature', schema: { $ref: '#/components/schemas/Problem' } })
  async datapass(
    @Req() req: RawBodyRequest,
    @Headers('x-hub-signature-256') signature: string | undefined,
    @Headers('x-app-environment') environment: string | undefined,
  ): Promise<WebhookReceipt> {
    const raw = req.rawBody ?? Buffer.alloc(0);
    this.webhooks.verify(raw, signature);
    return this.webhooks.receive(raw, environment);
  }
}
