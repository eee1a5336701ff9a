import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationPage, NotificationPreferencesView, ParsedBodyOf, ParsedQueryOf, UnreadCount } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { NotificationsService } from './notifications.service.js';

/** The caller's own notifications and preferences (every console account, read-only staff included). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Endpoint('listNotifications')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The caller’s notifications, newest first, with their unread count' })
  @ApiProblems(400, 401)
  list(@CurrentActor() actor: Actor, @ContractQuery('listNotifications') query: ParsedQueryOf<'listNotifications'>): Promise<NotificationPage> {
    return this.notifications.list(actor, query);
  }

  @Endpoint('unreadNotifications')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'How many of the caller’s notifications are unread (the console’s badge)' })
  @ApiProblems(401)
  unread(@CurrentActor() actor: Actor): Promise<UnreadCount> {
    return this.notifications.unread(actor);
  }

  @Endpoint('readAllNotifications')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Marks every notification of the caller as read' })
  @ApiProblems(401, 403)
  readAll(@CurrentActor() actor: Actor): Promise<UnreadCount> {
    return this.notifications.markAllRead(actor);
  }

  @Endpoint('readNotification')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Marks one of the caller’s notifications as read (another person’s: 404)' })
  @ApiProblems(401, 403, 404)
  read(@CurrentActor() actor: Actor, @Param('notificationId') notificationId: string): Promise<UnreadCount> {
    return this.notifications.markRead(actor, notificationId);
  }

  @Endpoint('notificationPreferences')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The kinds of notification the caller may receive, each with its mode (immediate e-mail, daily digest, off)' })
  @ApiProblems(401)
  preferences(@CurrentActor() actor: Actor): Promise<NotificationPreferencesView> {
    return this.notifications.preferences(actor);
  }

  @Endpoint('putNotificationPreferences')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Changes the caller’s modes of the kinds given; a kind the caller never receives is refused (400)' })
  @ApiProblems(400, 401, 403)
  putPreferences(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @ContractBody('putNotificationPreferences') body: ParsedBodyOf<'putNotificationPreferences'>,
  ): Promise<NotificationPreferencesView> {
    return this.notifications.putPreferences(actor, requestId, body);
  }
}
