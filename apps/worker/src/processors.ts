import type { RobotRunProcessor } from '@fcplat/qualification-runs';
import type { ApiParticulierWorkerParts } from '@fcplat/api-particulier-calls';
import { heartbeatProcessor, type AnyJobProcessor } from '@fcplat/queue';

/** Every processor the worker runs (the robot's only where the worker runs Chromium). */
export function allProcessors(apiParticulier: Pick<ApiParticulierWorkerParts, 'processor'>, robot: RobotRunProcessor | null = null): AnyJobProcessor[] {
  return robot ? [heartbeatProcessor, apiParticulier.processor, robot] : [heartbeatProcessor, apiParticulier.processor];
}
