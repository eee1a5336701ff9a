import { heartbeatProcessor, type AnyJobProcessor } from '@fcplat/queue';

/** Every processor the worker runs. Later issues add theirs here. */
export function allProcessors(): AnyJobProcessor[] {
  return [heartbeatProcessor];
}
