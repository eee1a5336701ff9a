import type { UnreadCount } from '@fcplat/contract';
import { notifications } from '../api/endpoints';
import { set } from './resource';

/** The resource of the header's unread badge (shared by the navigation and the notifications page). */
export const UNREAD_KEY = 'notifications:unread';
export const loadUnread = (): Promise<UnreadCount> => notifications.unread();

/** How often the badge asks again while the console is open. */
export const UNREAD_REFRESH_MS = 60_000;

/** Puts the count the API answered to a « mark read » back into the badge. */
export function setUnread(count: UnreadCount): void {
  set(UNREAD_KEY, count);
}
