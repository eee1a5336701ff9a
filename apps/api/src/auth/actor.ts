import type { StaffRole } from '@fcplat/db';

/** Who is calling, resolved once per request by the AuthGuard from a session or an API token. */
export type Actor =
  | {
      readonly kind: 'staff';
      readonly userId: string;
      readonly email: string;
      readonly role: StaffRole;
      readonly via: 'session' | 'api_token';
      readonly sessionId: string | null;
    }
  | {
      readonly kind: 'client_admin';
      readonly userId: string;
      readonly email: string;
      /** The one tenant this administrator belongs to. */
      readonly tenantId: string;
      readonly via: 'session';
      readonly sessionId: string;
    };

/** A permission a route may grant: a staff role, or being a client administrator. */
export type Grant = `staff:${StaffRole}` | 'client_admin';

export const STAFF_READ: readonly Grant[] = ['staff:admin', 'staff:onboarding_agent', 'staff:read_only'];
export const STAFF_WRITE: readonly Grant[] = ['staff:admin', 'staff:onboarding_agent'];
export const STAFF_ADMIN: readonly Grant[] = ['staff:admin'];
export const CLIENT_ADMIN: readonly Grant[] = ['client_admin'];

export function grantOf(actor: Actor): Grant {
  return actor.kind === 'staff' ? `staff:${actor.role}` : 'client_admin';
}

/** The audit actor of a request's actor. */
export function auditActorOf(actor: Actor): { type: 'staff' | 'client_admin' | 'api_token'; id: string } {
  if (actor.kind === 'staff') return { type: actor.via === 'api_token' ? 'api_token' : 'staff', id: actor.userId };
  return { type: 'client_admin', id: actor.userId };
}
