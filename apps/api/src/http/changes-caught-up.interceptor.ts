import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, concatMap, from, type Observable } from 'rxjs';
import { ChangeFeed } from '../infrastructure/change-feed.js';

/** Methods that change nothing: they answer without waiting. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Read-your-writes for the per-process caches: a request that may have changed something (any
 * method but GET, HEAD, OPTIONS) answers only once this replica has heard the change notifications
 * its writes sent ({@link ChangeFeed.caughtUp}), whether it succeeded or failed (a failure may
 * follow a committed audit row). Without it, a token revoked by `DELETE` could still be accepted by
 * the next request on the same replica, its notification being a few milliseconds behind the
 * answer. Every route is covered by construction (a global interceptor); the cost is one round trip
 * on the listening connection, none on the pool.
 */
@Injectable()
export class ChangesCaughtUpInterceptor implements NestInterceptor {
  constructor(private readonly feed: ChangeFeed) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || SAFE_METHODS.has(context.switchToHttp().getRequest<{ method: string }>().method)) return next.handle();
    return next.handle().pipe(
      concatMap((value: unknown) => from(this.feed.caughtUp().then(() => value))),
      catchError((error: unknown) =>
        from(
          this.feed.caughtUp().then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}
