/**
 * A person's notifications (docs/notifications.md): their list in the console, the unread count
 * of the header's badge, and their preferences (a mode per kind of event). Personal routes
 * (`/api/accounts/me/…`): every console account reads and changes only its own.
 */
import { z } from 'zod';
import { NOTIFICATION_KINDS, NOTIFICATION_MODES } from '@fcplat/domain';
import { pageQuerySchema } from './pagination.js';
import { isoDateTime } from './text.js';

export const notificationsQuerySchema = z.strictObject({
  ...pageQuerySchema(['createdAt'], 'createdAt').omit({ order: true, sort: true }).shape,
  /** `true`: unread ones only. */
  unread: z.enum(['true', 'false']).optional(),
});

export const notificationViewSchema = z.object({
  id: z.string().meta({ format: 'uuid' }),
  kind: z.enum(NOTIFICATION_KINDS),
  kindLabel: z.string(),
  tenantId: z.string().meta({ format: 'uuid' }).nullable(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().meta({ description: 'Path inside the console (after `/console/`)' }),
  createdAt: isoDateTime,
  readAt: isoDateTime.nullable(),
});
export type NotificationView = z.output<typeof notificationViewSchema>;

/** A page of notifications, newest first, with the person's unread count. */
export const notificationPageSchema = z.object({
  items: z.array(notificationViewSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  unread: z.number().int(),
});
export type NotificationPage = z.output<typeof notificationPageSchema>;

export const unreadCountSchema = z.object({ unread: z.number().int() });
export type UnreadCount = z.output<typeof unreadCountSchema>;

export const notificationPreferenceSchema = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  label: z.string(),
  description: z.string(),
  mode: z.enum(NOTIFICATION_MODES),
  defaultMode: z.enum(NOTIFICATION_MODES),
});

/** The kinds this person may receive, each with its mode; the digest's time. */
export const notificationPreferencesSchema = z.object({
  items: z.array(notificationPreferenceSchema),
  digestHour: z.number().int().meta({ description: 'Hour (Europe/Paris) from which the daily digest is sent' }),
});
export type NotificationPreferencesView = z.output<typeof notificationPreferencesSchema>;

const modeField = z.enum(NOTIFICATION_MODES, { message: 'choisissez « e-mail immédiat », « récapitulatif quotidien » ou « désactivé »' });

/** The modes to change, by kind (the others stay as they are). */
export const putNotificationPreferencesSchema = z.strictObject({
  modes: z.strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, modeField.optional()])) as Record<(typeof NOTIFICATION_KINDS)[number], z.ZodOptional<typeof modeField>>),
});
export type PutNotificationPreferences = z.output<typeof putNotificationPreferencesSchema>;
