import { NotificationDigestEntity } from './notifications/notification-digest.entity.js';
import { NotificationEventEntity } from './notifications/notification-event.entity.js';
import { NotificationPreferenceEntity } from './notifications/notification-preference.entity.js';
import { NotificationEntity } from './notifications/notification.entity.js';

export * from './notifications/notification-digest.entity.js';
export * from './notifications/notification-event.entity.js';
export * from './notifications/notification-preference.entity.js';
export * from './notifications/notification.entity.js';

/** Entities of the notifications area (outbox, notifications, preferences, digests). */
export const NOTIFICATIONS_AREA_ENTITIES: (new () => object)[] = [NotificationEventEntity, NotificationEntity, NotificationPreferenceEntity, NotificationDigestEntity];
