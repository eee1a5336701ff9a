import { Controller, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiParticulierCredentialView, CredentialsView, FranceConnectCredentialView, FranceConnectUris, PutApiParticulierInput, PutFranceConnectInput } from '@fcplat/contract';
import { API_PARTICULIER_ENVIRONMENTS, FRANCECONNECT_ENVIRONMENTS } from '@fcplat/domain';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ContractBody, Endpoint } from '../http/endpoint.js';
import { TenantCredentialsService } from './tenant-credentials.service.js';
import { enumParam, TenantIdPipe } from './tenant-params.js';

const fcEnvironment = (value: string) => enumParam(value, FRANCECONNECT_ENVIRONMENTS, 'environment', 'environnement FranceConnect');
const apipEnvironment = (value: string) => enumParam(value, API_PARTICULIER_ENVIRONMENTS, 'environment', 'environnement API Particulier');

const WRITE_RULES =
  'Write-only: the secret is encrypted at rest and only ever shown masked. Staff (admin, onboarding agent) write every environment; ' +
  'the tenant’s client administrator writes `production` only (the production secrets are sent to the client). `custom` needs ' +
  'ALLOW_CUSTOM_ENDPOINTS (400 otherwise).';

@ApiTags('credentials')
@ApiBearerAuth()
@Controller()
export class CredentialsController {
  constructor(private readonly credentials: TenantCredentialsService) {}

  @Endpoint('listCredentials')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Credentials of a tenant, secrets masked (an entry that does not decrypt says so instead)' })
  list(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<CredentialsView> {
    return this.credentials.list(actor, tenantId);
  }

  @Endpoint('putFranceConnectCredentials')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Store the FranceConnect client of an environment', description: WRITE_RULES })
  putFranceConnect(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
    @ContractBody('putFranceConnectCredentials') body: PutFranceConnectInput,
  ): Promise<FranceConnectCredentialView> {
    return this.credentials.putFranceConnect(actor, tenantId, fcEnvironment(environment), body, requestId);
  }

  @Endpoint('putApiParticulierCredentials')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Store the API Particulier token of an environment (expiry: 18 months after receipt by default)', description: WRITE_RULES })
  putApiParticulier(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
    @ContractBody('putApiParticulierCredentials') body: PutApiParticulierInput,
  ): Promise<ApiParticulierCredentialView> {
    return this.credentials.putApiParticulier(actor, tenantId, apipEnvironment(environment), body, requestId);
  }

  @Endpoint('deleteFranceConnectCredentials')
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Delete the FranceConnect client of an environment' })
  async deleteFranceConnect(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
  ): Promise<void> {
    await this.credentials.remove(actor, tenantId, 'franceconnect', fcEnvironment(environment), requestId);
  }

  @Endpoint('deleteApiParticulierCredentials')
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Delete the API Particulier token of an environment' })
  async deleteApiParticulier(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
  ): Promise<void> {
    await this.credentials.remove(actor, tenantId, 'api_particulier', apipEnvironment(environment), requestId);
  }

  @Endpoint('createSandboxClient')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Register a client for the tenant at the sandbox FranceConnect and store it as the `custom` environment',
    description:
      'Test platforms only (SANDBOX_FRANCECONNECT_URL and ALLOW_CUSTOM_ENDPOINTS; 400 otherwise). Registers the tenant’s redirect and ' +
      'post-logout URIs under its name at the sandbox’s admin API, then stores the client (secret encrypted, audited) with issuer ' +
      '`<sandbox>/api/v2`. Each call registers a fresh client and replaces the stored `custom` one. 503 when the sandbox does not answer.',
  })
  sandboxClient(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
  ): Promise<FranceConnectCredentialView> {
    return this.credentials.registerSandboxFranceConnect(actor, tenantId, requestId);
  }

  @Endpoint('createSandboxApiParticulierToken')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Mint a token for the tenant at the sandbox API Particulier and store it as the `sandbox` environment',
    description:
      'Test platforms only (SANDBOX_API_PARTICULIER_URL; 400 otherwise). The stand-in mints a token with every scope for the tenant’s SIRET; ' +
      'it is stored encrypted and audited, replacing the current `sandbox` token. 503 when the stand-in does not answer.',
  })
  sandboxToken(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
  ): Promise<ApiParticulierCredentialView> {
    return this.credentials.mintSandboxApiParticulierToken(actor, tenantId, requestId);
  }

  @Endpoint('franceConnectUris')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Redirect and post-logout URIs to declare in FranceConnect’s partner space' })
  uris(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<FranceConnectUris> {
    return this.credentials.franceConnectUris(actor, tenantId);
  }
}
