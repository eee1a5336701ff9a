/**
 * From one outbox event to its notifications: who is concerned, in which mode each wants it, and
 * the words each reads. Written with ON CONFLICT on (event, person), so a fan-out run twice (a job
 * delivered twice, two workers) writes each notification once.
 */
import type { EntityManager } from 'typeorm';
import {
  describeNotification,
  isNotificationKind,
  NOTIFICATION_KIND_INFO,
  type AnyNotificationEvent,
  type NotificationAudience,
  type NotificationKind,
  type NotificationMode,
} from '@fcplat/domain';

export interface EventRow {
  readonly id: string;
  readonly kind: string;
  readonly tenant_id: string | null;
  readonly actor_id: string | null;
  readonly data: Record<string, unknown>;
  readonly tenant_name: string | null;
}

interface Recipient {
  readonly id: string;
  readonly audience: NotificationAudience;
  readonly mode: NotificationMode;
}

/** The audiences an event reaches: the kind's, narrowed by its data (a client is told of a delay only when they must act). */
export function audiencesOf(event: AnyNotificationEvent): NotificationAudience[] {
  const audiences = [...NOTIFICATION_KIND_INFO[event.kind].audiences];
  if ((event.kind === 'case_overdue' || event.kind === 'case_due_soon') && event.data.waitingOn !== 'client') return audiences.filter((a) => a !== 'client');
  return audiences;
}

/**
 * The people concerned, with their mode for this kind (their preference, else the kind's default),
 * `off` left out, the event's author left out:
 * - staff: the case's assignee when the case has an active one, otherwise every active staff member
 *   who can act on cases (administrators and onboarding agents);
 * - client: the active administrators of the event's tenant, and only of that tenant.
 */
async function recipients(manager: EntityManager, event: EventRow, kind: NotificationKind, audiences: readonly NotificationAudience[]): Promise<Recipient[]> {
  const rows = (await manager.query(
    `WITH assignee AS (
       SELECT c.assignee_id AS id FROM onboarding_case c JOIN app_user a ON a.id = c.assignee_id AND a.status = 'active'
        WHERE c.tenant_id = $1
     ), people AS (
       SELECT u.id, 'staff' AS audience FROM app_user u
        WHERE 'staff' = ANY($3::text[]) AND u.kind = 'staff' AND u.status = 'active' AND u.staff_role IN ('admin', 'onboarding_agent')
          AND (NOT EXISTS (SELECT 1 FROM assignee) OR u.id IN (SELECT id FROM assignee))
       UNION ALL
       SELECT u.id, 'client' AS audience FROM app_user u
        WHERE 'client' = ANY($3::text[]) AND $1::uuid IS NOT NULL AND u.kind = 'client_admin' AND u.status = 'active' AND u.tenant_id = $1
     )
     SELECT p.id, p.audience, coalesce(pref.mode, $4) AS mode
       FROM people p LEFT JOIN notification_preference pref ON pref.user_id = p.id AND pref.kind = $2
      WHERE p.id IS DISTINCT FROM $5::uuid`,
    [event.tenant_id, kind, audiences, NOTIFICATION_KIND_INFO[kind].defaultMode, event.actor_id],
  )) as Recipient[];
  return rows.filter((r) => r.mode !== 'off');
}

/** Writes the event's notifications (once each); returns how many exist for it now. */
export async function fanOut(manager: EntityManager, event: EventRow): Promise<number> {
  if (!isNotificationKind(event.kind)) throw new Error(`UNKNOWN_NOTIFICATION_KIND: ${event.kind}`);
  const typed = { kind: event.kind, data: event.data } as AnyNotificationEvent;
  const people = await recipients(manager, event, event.kind, audiencesOf(typed));
  if (people.length > 0) {
    const texts = people.map((p) => describeNotification(typed, { tenantId: event.tenant_id, tenantName: event.tenant_name, audience: p.audience }));
    await manager.query(
      `INSERT INTO notification (event_id, user_id, tenant_id, kind, title, body, link, email_mode)
       SELECT $1, v.user_id, $2, $3, v.title, v.body, v.link, v.email_mode
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[]) AS v(user_id, title, body, link, email_mode)
       ON CONFLICT (event_id, user_id) DO NOTHING`,
      [
        event.id,
        event.tenant_id,
        event.kind,
        people.map((p) => p.id),
        texts.map((t) => t.title),
        texts.map((t) => t.body),
        texts.map((t) => t.link),
        people.map((p) => p.mode),
      ],
    );
  }
  const [count] = (await manager.query(`SELECT count(*)::int AS n FROM notification WHERE event_id = $1`, [event.id])) as { n: number }[];
  return count?.n ?? 0;
}
