import { reactive } from 'vue';
import { ApiError, PortalApi } from './api';
import type { CitizenView, PortalView } from '@fcplat/contract';

export type PortalStatus = 'loading' | 'ready' | 'not-found' | 'unavailable';

export interface Flash {
  readonly kind: 'success' | 'info' | 'error';
  readonly text: string;
  /** The route path the message belongs to; it is dropped on leaving it. */
  readonly path: string;
}

interface SessionState {
  status: PortalStatus;
  portal: PortalView | null;
  me: CitizenView | null;
  flash: Flash | null;
}

/** The portal's state: the tenant, the logged-in citizen and a one-page message. */
export const session = reactive<SessionState>({ status: 'loading', portal: null, me: null, flash: null });

let client: PortalApi | null = null;

export function api(): PortalApi {
  if (!client) throw new Error('portal API used before the portal was loaded');
  return client;
}

/** Loads the tenant's portal and the citizen's session. */
export async function loadPortal(slug: string | null): Promise<void> {
  if (!slug) {
    session.status = 'not-found';
    return;
  }
  client = new PortalApi(slug);
  try {
    session.portal = await client.portal();
  } catch (error) {
    session.status = error instanceof ApiError && error.status === 404 ? 'not-found' : 'unavailable';
    return;
  }
  try {
    session.me = await client.me();
  } catch {
    session.me = null;
  }
  session.status = 'ready';
}

export async function refreshMe(): Promise<CitizenView | null> {
  session.me = await api().me();
  return session.me;
}

export function setFlash(path: string, kind: Flash['kind'], text: string): void {
  session.flash = { path, kind, text };
}

/**
 * Whether FranceConnect can be offered now: the tenant offers it (`connexionEnabled`) and its live
 * environment's client is usable. Otherwise the portal says so instead of showing a button that fails.
 */
export function franceConnectOffered(): boolean {
  return (session.portal?.connexionEnabled ?? false) && (session.portal?.environment?.franceConnectAvailable ?? false);
}

/** FranceConnect is offered by the tenant but cannot be used yet (no environment, or unusable client). */
export function franceConnectPending(): boolean {
  return (session.portal?.connexionEnabled ?? false) && !franceConnectOffered();
}

/** The tenant's portal name (branding first). */
export function portalName(): string {
  const portal = session.portal;
  return portal?.branding?.portalName?.trim() || portal?.name || 'Portail citoyen';
}

/**
 * Leaves the single-page app for a URL the API gave (FranceConnect authorize or logout):
 * same window, never a pop-up (FC-13); only http(s) URLs.
 */
export function navigateAway(url: string): void {
  const target = new URL(url, document.baseURI);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('refused redirect');
  window.location.assign(target.href);
}
