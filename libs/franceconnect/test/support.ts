/**
 * Helpers of the relying party's integration tests: a tenant → client map standing in for the
 * credentials vault (the adapter of engineering habit 7), a cookie-keeping "browser" driving the
 * sandbox's identity picker with fetch, random browser bindings.
 */
import { randomBytes } from 'node:crypto';
import type { RelyingPartyClient, RelyingPartyClientSource } from '../src/index.js';

export { CookieJarBrowser as Browser, locationOf } from '@fcplat/testing';

export class MapClientSource implements RelyingPartyClientSource {
  readonly clients = new Map<string, RelyingPartyClient>();
  lookups = 0;

  set(tenantKey: string, client: RelyingPartyClient): void {
    this.clients.set(tenantKey, client);
  }

  clientFor(tenantKey: string): Promise<RelyingPartyClient | null> {
    this.lookups += 1;
    return Promise.resolve(this.clients.get(tenantKey) ?? null);
  }
}

/** What the portal would derive from its pre-session cookie. */
export function newBinding(): string {
  return randomBytes(32).toString('hex');
}

/** Runs `promise` and returns its rejection (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
