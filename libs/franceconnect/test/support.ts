/**
 * Helpers of the relying party's integration tests: a tenant → client map standing in for the
 * credentials vault (the adapter of engineering habit 7), a cookie-keeping "browser" driving the
 * sandbox's identity picker with fetch, random browser bindings.
 */
import { randomBytes } from 'node:crypto';
import type { RelyingPartyClient, RelyingPartyClientSource } from '../src/index.js';

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

/** A minimal cookie jar (the provider's cookies have distinct names; paths are ignored). */
export class Browser {
  readonly cookies = new Map<string, string>();

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: this.header(), accept: 'text/html' } });
    this.store(response);
    return response;
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(form).toString(),
    });
    this.store(response);
    return response;
  }
}

export function locationOf(response: Response, base: string): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`no Location (status ${response.status})`);
  return new URL(value, base);
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
