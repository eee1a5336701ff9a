import { ApiParticulierCredentialEntity, FranceConnectCredentialEntity } from './tenants/credentials.entity.js';
import { DataPassWebhookDeliveryEntity } from './tenants/datapass-webhook-delivery.entity.js';
import { HabilitationHistoryEntity } from './tenants/habilitation-history.entity.js';
import { HabilitationEntity } from './tenants/habilitation.entity.js';
import { FranceConnectLoginActivityEntity, LiveEnvironmentEntity } from './tenants/live-environment.entity.js';
import { TenantLogoEntity } from './tenants/tenant-logo.entity.js';

export * from './tenants/credentials.entity.js';
export * from './tenants/datapass-webhook-delivery.entity.js';
export * from './tenants/habilitation-history.entity.js';
export * from './tenants/habilitation.entity.js';
export * from './tenants/live-environment.entity.js';
export * from './tenants/tenant-logo.entity.js';

/** Entities of the tenants area (habilitations, credentials, webhooks). Owned by that area. */
export const TENANTS_AREA_ENTITIES: (new () => object)[] = [
  HabilitationEntity,
  HabilitationHistoryEntity,
  DataPassWebhookDeliveryEntity,
  FranceConnectCredentialEntity,
  ApiParticulierCredentialEntity,
  LiveEnvironmentEntity,
  FranceConnectLoginActivityEntity,
  TenantLogoEntity,
];
