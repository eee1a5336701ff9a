import { Controller, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChooseLiveEnvironmentInput, EnvironmentsView, LiveCheckView, ProductEnvironmentsView } from '@fcplat/contract';
import { LIVE_ENVIRONMENT_PRODUCTS, type LiveEnvironmentProduct } from '@fcplat/domain';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ContractBody, Endpoint } from '../http/endpoint.js';
import { LiveEnvironmentsService } from './live-environments.service.js';
import { enumParam, TenantIdPipe } from './tenant-params.js';

/** Path segment of each product. */
const PRODUCT_PATHS = { franceconnect: 'franceconnect', 'api-particulier': 'api_particulier' } as const satisfies Record<string, LiveEnvironmentProduct>;
const productParam = (value: string): LiveEnvironmentProduct => PRODUCT_PATHS[enumParam(value, Object.keys(PRODUCT_PATHS) as (keyof typeof PRODUCT_PATHS)[], 'product', 'produit')];

const RULES =
  'Staff only (admin, onboarding agent). The target environment’s credentials must be stored and usable; `production` only from the stages ' +
  '« Identifiants de production reçus » and « En production »; leaving production needs a `reason`. Refusals: 409 with `reasons[0].code` ' +
  '(`same_environment`, `environment_disabled`, `credentials_missing`, `credentials_unusable`, `stage_not_ready`), 400 for a missing reason. ' +
  'Storing credentials never changes the live environment.';

@ApiTags('credentials')
@ApiBearerAuth()
@Controller()
export class LiveEnvironmentsController {
  constructor(private readonly environments: LiveEnvironmentsService) {}

  @Endpoint('liveEnvironments')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Live FranceConnect and API Particulier environments of a tenant, with the credentials and last success of every environment',
    description: `Products: ${LIVE_ENVIRONMENT_PRODUCTS.join(', ')}. Each environment says whether staff could choose it now, and if not why.`,
  })
  view(@CurrentActor() actor: Actor, @Param('id', TenantIdPipe) tenantId: string): Promise<EnvironmentsView> {
    return this.environments.view(actor, tenantId);
  }

  @Endpoint('chooseLiveEnvironment')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Choose the live environment of a product (FranceConnect or API Particulier)', description: RULES })
  choose(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id', TenantIdPipe) tenantId: string,
    @Param('product') product: string,
    @ContractBody('chooseLiveEnvironment') body: ChooseLiveEnvironmentInput,
  ): Promise<ProductEnvironmentsView> {
    return this.environments.choose(actor, tenantId, productParam(product), body, requestId);
  }

  @Endpoint('checkFranceConnect')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Test the live FranceConnect set-up: discovery, JWKS, client_id known with the redirect URI, secret accepted',
    description:
      'Calls the live environment’s issuer from the platform (FranceConnect’s own environments are only reachable from a real deployment). ' +
      'No citizen, no session: the authorization request is not followed and the token request carries a code that cannot exist. ' +
      'The verdict is audited (not the details).',
  })
  check(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id', TenantIdPipe) tenantId: string): Promise<LiveCheckView> {
    return this.environments.checkFranceConnect(actor, tenantId, requestId);
  }
}
