import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** A person's notifications and preferences; the events are recorded by the areas, sent by the worker (docs/notifications.md). */
@Module({ controllers: [NotificationsController], providers: [NotificationsService] })
export class NotificationsModule {}
