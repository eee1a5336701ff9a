import type { RobotRunProcessor } from '@fcplat/qualification-runs';
import type { ApiParticulierWorkerParts } from '@fcplat/api-particulier-calls';
import { heartbeatProcessor, type AnyJobProcessor } from '@fcplat/queue';
import type { NotificationWorkerParts } from './notifications/index.js';

/** Every processor the worker runs (the robot's only where the worker runs Chromium). */
export function allProcessors(
  apiParticulier: Pick<ApiParticulierWorkerParts, 'processor'>,
  robot: RobotRunProcessor | null = null,
  notifications: Pick<NotificationWorkerParts, 'eventProcessor' | 'digestProcessor'> | null = null,
): AnyJobProcessor[] {
  return [
    heartbeatProcessor,
    apiParticulier.processor,
    ...(robot ? [robot] : []),
    ...(notifications ? [notifications.eventProcessor, notifications.digestProcessor] : []),
  ];
}
