import type { ApiParticulierWorkerParts } from '@fcplat/api-particulier-calls';
import { heartbeatProcessor, type AnyJobProcessor } from '@fcplat/queue';

/** Every processor the worker runs. */
export function allProcessors(apiParticulier: Pick<ApiParticulierWorkerParts, 'processor'>): AnyJobProcessor[] {
  return [heartbeatProcessor, apiParticulier.processor];
}
