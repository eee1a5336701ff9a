import { reactive } from 'vue';
import { STAFF_ROLE_LABELS } from '@fcplat/domain';
import { ApiError, setUnauthenticatedHandler } from '../api/client';
import { auth } from '../api/endpoints';
import type { MeView } from '@fcplat/contract';
import { clearResources } from './resource';

export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated' | 'unavailable';

/** A message carried to the next page (« Vous êtes déconnecté(e). »). */
export interface Flash {
  readonly kind: 'success' | 'info' | 'error';
  readonly text: string;
}

interface SessionState {
  status: SessionStatus;
  me: MeView | null;
  flash: Flash | null;
}

/** Who is logged in. Resources (tenants, cases…) live in `resource.ts` and are dropped on logout. */
export const session = reactive<SessionState>({ status: 'unknown', me: null, flash: null });

/** Asks the API who we are (the session cookie is HttpOnly: the only way to know). */
export async function loadSession(): Promise<void> {
  try {
    session.me = await auth.me();
    session.status = 'authenticated';
  } catch (error) {
    session.me = null;
    session.status = error instanceof ApiError && error.status === 401 ? 'anonymous' : 'unavailable';
  }
}

/** After the second factor: the new session cookie is set, read who we are. */
export async function completeLogin(): Promise<void> {
  clearResources();
  session.me = await auth.me();
  session.status = 'authenticated';
}

export function forgetSession(flash: Flash | null): void {
  clearResources();
  session.me = null;
  session.status = 'anonymous';
  session.flash = flash;
}

export async function logout(): Promise<void> {
  try {
    await auth.logout();
  } finally {
    forgetSession({ kind: 'success', text: 'Vous êtes déconnecté(e).' });
  }
}

/** Reads and clears the message carried to this page. */
export function takeFlash(): Flash | null {
  const flash = session.flash;
  session.flash = null;
  return flash;
}

// --- roles ---------------------------------------------------------------------------------

export function isStaff(me: MeView | null = session.me): boolean {
  return me?.kind === 'staff';
}

export function isClientAdmin(me: MeView | null = session.me): boolean {
  return me?.kind === 'client_admin';
}

/** Staff who may change things (admins and onboarding agents; read-only staff only read). */
export function canStaffWrite(me: MeView | null = session.me): boolean {
  return me?.kind === 'staff' && (me.role === 'admin' || me.role === 'onboarding_agent');
}

export function isStaffAdmin(me: MeView | null = session.me): boolean {
  return me?.kind === 'staff' && me.role === 'admin';
}

/** Credentials: staff who may write store every environment; a client administrator production only. */
export function mayWriteEnvironment(environment: string, me: MeView | null = session.me): boolean {
  return canStaffWrite(me) || (isClientAdmin(me) && environment === 'production');
}

export const ROLE_LABELS: Readonly<Record<string, string>> = STAFF_ROLE_LABELS;

/** « Chargé(e) d’intégration » or « Administrateur du client ». */
export function roleLabel(me: MeView): string {
  return me.kind === 'client_admin' ? 'Administrateur du client' : (ROLE_LABELS[me.role ?? ''] ?? 'Équipe');
}

/** Installs the reaction to an expired session: back to the login page with a message. */
export function watchSessionExpiry(onExpired: () => void): void {
  setUnauthenticatedHandler(() => {
    if (session.status !== 'authenticated') return;
    forgetSession({ kind: 'info', text: 'Votre session a expiré : reconnectez-vous pour continuer.' });
    onExpired();
  });
}
