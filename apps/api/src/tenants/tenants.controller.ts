import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreateTenantInput, ListTenantsQuery, PatchTenantInput, TenantView, WindowedPage } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { TenantIdPipe } from './tenant-params.js';
import { TenantsService } from './tenants.service.js';

const problem = { $ref: '#/components/schemas/Problem' };

@ApiTags('tenants')
@ApiBearerAuth()
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Endpoint('createTenant')
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Create a tenant from its SIRET',
    description:
      'The SIRET is checked (length, digits only, Luhn key; La Poste rule), must be new (409), and is looked up in the company ' +
      'directory to fill name, address and legal category. Warnings (not a public body, closed establishment, directory ' +
      'unavailable) are stored and returned in `directoryWarnings`; the tenant is created anyway. The slug is derived from the ' +
      'name unless given.',
  })
  @ApiConflictResponse({ description: 'SIRET or slug already used', schema: problem })
  create(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @ContractBody('createTenant') body: CreateTenantInput): Promise<TenantView> {
    return this.tenants.create(actor, body, requestId);
  }

  @Endpoint('listTenants')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'List tenants (a client administrator sees only their own)' })
  list(@CurrentActor() actor: Actor, @ContractQuery('listTenants') query: ListTenantsQuery): Promise<WindowedPage<TenantView>> {
    return this.tenants.list(actor, query);
  }

  @Endpoint('tenantBySlug')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Read a tenant by its slug' })
  bySlug(@CurrentActor() actor: Actor, @Param('slug') slug: string): Promise<TenantView> {
    return this.tenants.getBySlug(actor, slug);
  }

  @Endpoint('getTenant')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Read a tenant' })
  get(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) id: string): Promise<TenantView> {
    return this.tenants.get(actor, id);
  }

  @Endpoint('patchTenant')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Update a tenant (optimistic concurrency on `version`)',
    description:
      'Staff (admin, onboarding agent) may change every field. A client administrator may change only the contacts, the ' +
      'branding and `dataRetrievalEnabled` of their own tenant (403 for other fields). 409 when `version` is not the current one.',
  })
  @ApiConflictResponse({ description: 'The tenant changed since it was read', schema: problem })
  patch(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) id: string,
    @ContractBody('patchTenant') body: PatchTenantInput,
  ): Promise<TenantView> {
    return this.tenants.patch(actor, id, body, requestId);
  }

  @Endpoint('refreshDirectory')
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Look the SIRET up again in the company directory (503 when it still does not answer)' })
  refresh(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id', TenantIdPipe) id: string): Promise<TenantView> {
    return this.tenants.refreshDirectory(actor, id, requestId);
  }
}
