import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError } from '@fcplat/common';
import type { Actor, Grant } from './actor.js';

export const PUBLIC_ROUTE = 'fcplat:public';
export const ROUTE_GRANTS = 'fcplat:grants';

/** The route needs no authentication (health, login, webhooks with their own signature...). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Who may call the route. Routes without `@Allow` and without `@Public` are refused to
 * everybody: access fails closed.
 */
export const Allow = (...grants: readonly (Grant | readonly Grant[])[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_GRANTS, grants.flat());

/** The authenticated caller (the guard guarantees there is one on non-public routes). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
});

/** The request id, for audit rows. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string | null => {
  const id = context.switchToHttp().getRequest<{ id?: unknown }>().id;
  return typeof id === 'string' ? id : null;
});
