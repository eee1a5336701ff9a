import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { API_PARTICULIER_ENVIRONMENTS, FRANCECONNECT_ENVIRONMENTS } from '@fcplat/db';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import {
  apiParticulierCredentialViewSchema,
  credentialsViewSchema,
  franceConnectCredentialViewSchema,
  franceConnectUrisViewSchema,
  putApiParticulierSchema,
  putFranceConnectSchema,
  type PutApiParticulierInput,
  type PutFranceConnectInput,
} from './credential.schemas.js';
import { TenantCredentialsService, type ApiParticulierCredentialView, type CredentialsView, type FranceConnectCredentialView } from './tenant-credentials.service.js';
import { enumParam, TenantIdPipe } from './tenant-params.js';

const fcEnvironment = (value: string) => enumParam(value, FRANCECONNECT_ENVIRONMENTS, 'environment', 'environnement FranceConnect');
const apipEnvironment = (value: string) => enumParam(value, API_PARTICULIER_ENVIRONMENTS, 'environment', 'environnement API Particulier');

const WRITE_RULES =
  'Write-only: the secret is encrypted at rest and only ever shown masked. Staff (admin, onboarding agent) write every environment; ' +
  'the tenant’s client administrator writes `production` only (the production secrets are sent to the client). `custom` needs ' +
  'ALLOW_CUSTOM_ENDPOINTS (400 otherwise).';

@ApiTags('credentials')
@ApiBearerAuth()
@Controller('api/tenants/:id')
export class CredentialsController {
  constructor(private readonly credentials: TenantCredentialsService) {}

  @Get('credentials')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Credentials of a tenant, secrets masked (an entry that does not decrypt says so instead)' })
  @ApiOkResponse({ schema: credentialsViewSchema })
  list(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<CredentialsView> {
    return this.credentials.list(actor, tenantId);
  }

  @Put('credentials/franceconnect/:environment')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Store the FranceConnect client of an environment', description: WRITE_RULES })
  @ApiParam({ name: 'environment', enum: [...FRANCECONNECT_ENVIRONMENTS] })
  @ApiBody({ schema: openApiSchema(putFranceConnectSchema) })
  @ApiOkResponse({ schema: franceConnectCredentialViewSchema })
  putFranceConnect(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
    @Body(new ZodPipe(putFranceConnectSchema)) body: PutFranceConnectInput,
  ): Promise<FranceConnectCredentialView> {
    return this.credentials.putFranceConnect(actor, tenantId, fcEnvironment(environment), body, requestId);
  }

  @Put('credentials/api-particulier/:environment')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Store the API Particulier token of an environment (expiry: 18 months after receipt by default)', description: WRITE_RULES })
  @ApiParam({ name: 'environment', enum: [...API_PARTICULIER_ENVIRONMENTS] })
  @ApiBody({ schema: openApiSchema(putApiParticulierSchema) })
  @ApiOkResponse({ schema: apiParticulierCredentialViewSchema })
  putApiParticulier(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
    @Body(new ZodPipe(putApiParticulierSchema)) body: PutApiParticulierInput,
  ): Promise<ApiParticulierCredentialView> {
    return this.credentials.putApiParticulier(actor, tenantId, apipEnvironment(environment), body, requestId);
  }

  @Delete('credentials/franceconnect/:environment')
  @HttpCode(204)
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Delete the FranceConnect client of an environment' })
  @ApiParam({ name: 'environment', enum: [...FRANCECONNECT_ENVIRONMENTS] })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteFranceConnect(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
  ): Promise<void> {
    await this.credentials.remove(actor, tenantId, 'franceconnect', fcEnvironment(environment), requestId);
  }

  @Delete('credentials/api-particulier/:environment')
  @HttpCode(204)
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Delete the API Particulier token of an environment' })
  @ApiParam({ name: 'environment', enum: [...API_PARTICULIER_ENVIRONMENTS] })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteApiParticulier(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('environment') environment: string,
  ): Promise<void> {
    await this.credentials.remove(actor, tenantId, 'api_particulier', apipEnvironment(environment), requestId);
  }

  @Post('franceconnect/sandbox-client')
  @HttpCode(200)
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Register a client for the tenant at the sandbox FranceConnect and store it as the `custom` environment',
    description:
      'Test platforms only (SANDBOX_FRANCECONNECT_URL and ALLOW_CUSTOM_ENDPOINTS; 400 otherwise). Registers the tenant’s redirect and ' +
      'post-logout URIs under its name at the sandbox’s admin API, then stores the client (secret encrypted, audited) with issuer ' +
      '`<sandbox>/api/v2`. Each call registers a fresh client and replaces the stored `custom` one. 503 when the sandbox does not answer.',
  })
  @ApiOkResponse({ schema: franceConnectCredentialViewSchema })
  sandboxClient(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
  ): Promise<FranceConnectCredentialView> {
    return this.credentials.registerSandboxFranceConnect(actor, tenantId, requestId);
  }

  @Post('api-particulier/sandbox-token')
  @HttpCode(200)
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Mint a token for the tenant at the sandbox API Particulier and store it as the `sandbox` environment',
    description:
      'Test platforms only (SANDBOX_API_PARTICULIER_URL; 400 otherwise). The stand-in mints a token with every scope for the tenant’s SIRET; ' +
      'it is stored encrypted and audited, replacing the current `sandbox` token. 503 when the stand-in does not answer.',
  })
  @ApiOkResponse({ schema: apiParticulierCredentialViewSchema })
  sandboxToken(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
  ): Promise<ApiParticulierCredentialView> {
    return this.credentials.mintSandboxApiParticulierToken(actor, tenantId, requestId);
  }

  @Get('franceconnect/uris')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Redirect and post-logout URIs to declare in FranceConnect’s partner space' })
  @ApiOkResponse({ schema: franceConnectUrisViewSchema })
  uris(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<{ redirectUri: string; postLogoutRedirectUri: string }> {
    return this.credentials.franceConnectUris(actor, tenantId);
  }
}
