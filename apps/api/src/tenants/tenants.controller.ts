import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { pageSchema, type Page } from '../http/pagination.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { ApiQueryFrom } from './openapi-query.js';
import { TenantIdPipe } from './tenant-params.js';
import { createTenantSchema, listTenantsQuerySchema, patchTenantSchema, tenantViewSchema, type CreateTenantInput, type ListTenantsQuery, type PatchTenantInput } from './tenant.schemas.js';
import { TenantsService, type TenantView } from './tenants.service.js';

const problem = { $ref: '#/components/schemas/Problem' };

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('api/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Create a tenant from its SIRET',
    description:
      'The SIRET is checked (length, digits only, Luhn key; La Poste rule), must be new (409), and is looked up in the company ' +
      'directory to fill name, address and legal category. Warnings (not a public body, closed establishment, directory ' +
      'unavailable) are stored and returned in `directoryWarnings`; the tenant is created anyway. The slug is derived from the ' +
      'name unless given.',
  })
  @ApiBody({ schema: openApiSchema(createTenantSchema) })
  @ApiCreatedResponse({ schema: tenantViewSchema })
  @ApiConflictResponse({ description: 'SIRET or slug already used', schema: problem })
  create(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Body(new ZodPipe(createTenantSchema)) body: CreateTenantInput): Promise<TenantView> {
    return this.tenants.create(actor, body, requestId);
  }

  @Get()
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'List tenants (a client administrator sees only their own)' })
  @ApiQueryFrom(listTenantsQuerySchema)
  @ApiOkResponse({ schema: pageSchema(tenantViewSchema) })
  list(@CurrentActor() actor: Actor, @Query(new ZodPipe(listTenantsQuerySchema)) query: ListTenantsQuery): Promise<Page<TenantView>> {
    return this.tenants.list(actor, query);
  }

  @Get('by-slug/:slug')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Read a tenant by its slug' })
  @ApiOkResponse({ schema: tenantViewSchema })
  bySlug(@CurrentActor() actor: Actor, @Param('slug') slug: string): Promise<TenantView> {
    return this.tenants.getBySlug(actor, slug);
  }

  @Get(':id')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Read a tenant' })
  @ApiOkResponse({ schema: tenantViewSchema })
  get(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) id: string): Promise<TenantView> {
    return this.tenants.get(actor, id);
  }

  @Patch(':id')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Update a tenant (optimistic concurrency on `version`)',
    description:
      'Staff (admin, onboarding agent) may change every field. A client administrator may change only the contacts, the ' +
      'branding and `dataRetrievalEnabled` of their own tenant (403 for other fields). 409 when `version` is not the current one.',
  })
  @ApiBody({ schema: openApiSchema(patchTenantSchema) })
  @ApiOkResponse({ schema: tenantViewSchema })
  @ApiConflictResponse({ description: 'The tenant changed since it was read', schema: problem })
  patch(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) id: string,
    @Body(new ZodPipe(patchTenantSchema)) body: PatchTenantInput,
  ): Promise<TenantView> {
    return this.tenants.patch(actor, id, body, requestId);
  }

  @Post(':id/directory-refresh')
  @HttpCode(200)
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Look the SIRET up again in the company directory (503 when it still does not answer)' })
  @ApiOkResponse({ schema: tenantViewSchema })
  refresh(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id', TenantIdPipe) id: string): Promise<TenantView> {
    return this.tenants.refreshDirectory(actor, id, requestId);
  }
}
